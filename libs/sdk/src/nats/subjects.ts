/*
 * The platform's NATS layout as downstream teams see it (README "Services", docs/architecture.md):
 * Matrix events on `matrix.<principal>.<module>.<eventid>.<priority>` in the stream MATRIX_EVENTS,
 * normalised sensor data (JSON arrays of points) on `sensor.data.<pid>.<provider>.<type>` in SENSOR_DATA.
 * A deployment namespace `<ns>` prefixes subjects with `<ns>.`, stream names with `<NS>_` and durable
 * names with `<ns>-`. Restated here from libs/messaging's topology (a Nest-bound library the SDK does
 * not depend on); these names are persistent contracts of the platform and do not change.
 */

/** Which of the platform's streams a consumer reads. */
export type MatrixStreamKind = 'matrix-events' | 'sensor-data';

const STREAMS: Record<MatrixStreamKind, { stream: string; root: string }> = {
  'matrix-events': { stream: 'MATRIX_EVENTS', root: 'matrix.' },
  'sensor-data': { stream: 'SENSOR_DATA', root: 'sensor.data.' },
};

const NAMESPACE = /^[a-z0-9_]*$/;

/** The names one deployment namespace gives the streams, subjects and durables of a kind. */
export interface ResolvedNames {
  stream: string;
  /** The filter subject on the wire (namespace prefixed). */
  filterSubject: string;
  durable: string;
  /** Removes the namespace prefix from a subject received on the wire. */
  strip(subject: string): string;
}

/**
 * Resolves `pattern` — a subject pattern of the documented layout, NATS wildcards (`*` one token, `>`
 * the rest), e.g. `matrix.*.scworkforcemanagement.TASK_COMPLETED.*` or `sensor.data.<pid>.>` — in a
 * namespace. Throws on a pattern outside the kind's subjects.
 */
export function resolveNames(
  kind: MatrixStreamKind,
  pattern: string,
  durable: string,
  namespace = '',
): ResolvedNames {
  if (!NAMESPACE.test(namespace)) {
    throw new Error(`NATS namespace "${namespace}" must match [a-z0-9_]+ (or be empty)`);
  }
  const { stream, root } = STREAMS[kind];
  if (!pattern.startsWith(root) || pattern.split('.').some((token) => token === '')) {
    throw new Error(`"${pattern}" is not a subject pattern under ${root}> (the ${stream} stream)`);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(durable)) {
    throw new Error(`durable name "${durable}" must match [A-Za-z0-9_-]+`);
  }
  const prefix = namespace ? `${namespace}.` : '';
  return {
    stream: namespace ? `${namespace.toUpperCase()}_${stream}` : stream,
    filterSubject: `${prefix}${pattern}`,
    durable: namespace ? `${namespace}-${durable}` : durable,
    strip: (subject) => (prefix && subject.startsWith(prefix) ? subject.slice(prefix.length) : subject),
  };
}
