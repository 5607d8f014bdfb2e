/** Where a keyset page of incidents stops: the last incident's start-by time and id. */
export interface IncidentPosition {
  startBy: number;
  taskId: string;
}

/** A position as an opaque cursor (base64url of `{s, t}`): REST v1's `cursor`. */
export const encodePosition = ({ startBy, taskId }: IncidentPosition) =>
  Buffer.from(JSON.stringify({ s: startBy, t: taskId }), 'utf8').toString('base64url');

/** The position `{s, t}` in a decoded cursor, or undefined when it holds none. */
export function positionOf(decoded: unknown): IncidentPosition | undefined {
  const { s, t } = (decoded ?? {}) as { s?: unknown; t?: unknown };
  return Number.isSafeInteger(s) && typeof t === 'string' && /^[0-9]{13,19}$/.test(t)
    ? { startBy: s as number, taskId: t }
    : undefined;
}

/** The position of a cursor `encodePosition` made, or undefined for any other text. */
export function decodePosition(cursor: string): IncidentPosition | undefined {
  try {
    return positionOf(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}
