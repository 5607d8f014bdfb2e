import { ActionError } from './action-error';

/**
 * An op's arguments from the request body, for every op of every module: a JSON object is the arguments;
 * no body and the JSON literal `null` (what the public SDKs post for an op without arguments) are none;
 * anything else is refused. Ops that read their arguments from the query string get `{}`.
 */
export function actionArguments(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new ActionError('WRONG_PARAMETERS', 'The body must be a JSON object (or null for no arguments)');
  }
  return body as Record<string, unknown>;
}
