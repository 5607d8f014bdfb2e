import {
  canonicalDevType,
  normaliseSlotPoint,
  parseDevType,
  readingId,
  unsafeParts,
  validateSensorDataPoint,
  type SensorDataPointV1,
} from '@matrix/contracts';
import type { IngestPrincipal } from '../auth/ingest-principal';

export interface AcceptedPoint {
  /** The provider part of `DevType`. */
  provider: string;
  /** The reading id (ADR-4). */
  id: string;
  point: Record<string, unknown>;
}

export interface PointProblem {
  index: number;
  problems: string[];
}

export type BatchParseResult =
  /**
   * `verbatim`: every element was a data point object taken as it was sent (no JSON string element, no
   * legacy `DevType` rewritten), so the body itself is the JSON array of the accepted points.
   */
  | { ok: true; points: AcceptedPoint[]; verbatim: boolean }
  | { ok: false; status: 400 | 403 | 413; title: string; detail: string; errors?: PointProblem[] };

/**
 * Parses and validates a sensor data batch: a JSON array of data points in the general data format, each
 * either an object or (the documented push quirk) a JSON string holding one. All or nothing: one bad
 * point refuses the batch with every problem listed by index, so a sender can fix and resend it whole.
 * With a principal, a point of another provider than the key's, or naming another building (`PID`), is
 * forbidden: the batch is refused with 403 (and every problem of every point listed).
 */
export function parseBatch(body: string, maxPoints: number, principal?: IngestPrincipal): BatchParseResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return {
      ok: false,
      status: 400,
      title: 'Malformed JSON',
      detail: `The body is not valid JSON: ${(error as Error).message}`,
    };
  }
  if (!Array.isArray(parsed)) {
    return {
      ok: false,
      status: 400,
      title: 'Not a batch',
      detail: `The body must be a JSON array of data points, got ${describe(parsed)}`,
    };
  }
  if (parsed.length === 0) {
    return { ok: false, status: 400, title: 'Empty batch', detail: 'The batch holds no data points' };
  }
  if (parsed.length > maxPoints) {
    return {
      ok: false,
      status: 413,
      title: 'Batch too large',
      detail: `A batch holds at most ${maxPoints} data points, got ${parsed.length}`,
    };
  }
  const points: AcceptedPoint[] = [];
  const errors: PointProblem[] = [];
  let forbidden = 0;
  let verbatim = true;
  parsed.forEach((element: unknown, index) => {
    const result = checkPoint(element);
    if ('problems' in result) {
      errors.push({ index, problems: result.problems });
      return;
    }
    if (result.point !== element) verbatim = false;
    const denied = principal ? deniedBy(principal, result) : [];
    if (denied.length > 0) {
      forbidden++;
      errors.push({ index, problems: denied });
    } else {
      points.push(result);
    }
  });
  if (forbidden > 0) {
    return {
      ok: false,
      status: 403,
      title: 'Forbidden data points',
      detail: `${forbidden} of ${parsed.length} data points are outside what ingest key ${principal!.keyId} may post; nothing was accepted`,
      errors,
    };
  }
  if (errors.length > 0) {
    return {
      ok: false,
      status: 400,
      title: 'Invalid data points',
      detail: `${errors.length} of ${parsed.length} data points are invalid; nothing was accepted`,
      errors,
    };
  }
  return { ok: true, points, verbatim };
}

function checkPoint(element: unknown): AcceptedPoint | { problems: string[] } {
  let candidate = element;
  if (typeof element === 'string') {
    try {
      candidate = JSON.parse(element);
    } catch (error) {
      return { problems: [`element is a string but not a JSON data point: ${(error as Error).message}`] };
    }
  }
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    return {
      problems: [`must be a data point object (or a JSON string of one), got ${describe(candidate)}`],
    };
  }
  // Before anything converts the point: a prototype key at any depth (class-transformer throws on an
  // object under `constructor`) or nesting deeper than MAX_INPUT_DEPTH is refused, naming the field.
  const unsafe = unsafeParts(candidate);
  if (unsafe.length > 0) return { problems: unsafe };
  const raw = candidate as Record<string, unknown>;
  // The documented legacy `"DevType": "ODRDTR"` (no provider) is read as SMARTCLEAN#ODRDTR.
  // Copied only when the type changes: a spread of every point was a measurable share of ingest CPU.
  const devType = typeof raw['DevType'] === 'string' ? canonicalDevType(raw['DevType']) : undefined;
  const canonical = devType !== undefined && devType !== raw['DevType'] ? { ...raw, DevType: devType } : raw;
  const validated = validateSensorDataPoint(canonical);
  if (!validated.ok) return { problems: validated.errors };
  const point = canonical as Record<string, unknown> & SensorDataPointV1;
  const value = normaliseSlotPoint(point);
  if (!value.ok) return { problems: value.errors };
  const { provider } = parseDevType(point.DevType);
  return { provider, id: readingId(provider, point.DEVID, point.unixT, point), point };
}

/** What `principal` may not post of this point: another provider's, or another building's (`PID`). */
function deniedBy(principal: IngestPrincipal, accepted: AcceptedPoint): string[] {
  const denied: string[] = [];
  if (principal.provider !== undefined && accepted.provider !== principal.provider) {
    denied.push(
      `DevType: provider ${accepted.provider} is not ${principal.provider}, the only provider ingest key ${principal.keyId} may post for`,
    );
  }
  const pid = accepted.point['PID'];
  if (principal.pid !== '*' && pid !== undefined && pid !== principal.pid) {
    denied.push(`PID: ${String(pid)} is not ${principal.pid}, the building of ingest key ${principal.keyId}`);
  }
  return denied;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
