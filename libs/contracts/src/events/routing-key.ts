import { decodeSubjectToken, encodeSubjectToken } from '../shared/subject-token';

/*
 * ⚠️ The routing key is the NATS subject of a Matrix event, a public contract (reference §2.2):
 * `matrix.<principal>.<module>.<eventid>.<priority>`. Downstream teams subscribe to it.
 */

export interface RoutingKeyParts {
  principal: string;
  module: string;
  eventId: string;
  priority: string;
}

/** Builds `matrix.<principal>.<module>.<eventid>.<priority>`; ids that are not subject-safe are escaped. */
export function routingKeyOf(parts: RoutingKeyParts): string {
  return ['matrix', parts.principal, parts.module, parts.eventId, parts.priority]
    .map(encodeSubjectToken)
    .join('.');
}

/** Parses a routing key (or the subject it was published on); throws on anything else. */
export function parseRoutingKey(key: string): RoutingKeyParts {
  const tokens = key.split('.');
  if (tokens.length !== 5 || tokens[0] !== 'matrix' || tokens.some((token) => token.length === 0)) {
    throw new Error(`"${key}" is not a routing key matrix.<principal>.<module>.<eventid>.<priority>`);
  }
  const [, principal, module, eventId, priority] = tokens.map(decodeSubjectToken) as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { principal, module, eventId, priority };
}
