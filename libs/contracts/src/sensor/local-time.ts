/** The local-time fields of the general data format (reference §3.2) for one instant. */
export interface LocalTimeFields {
  /** `yyyymmddhhmmss` in local time. */
  t: string;
  /** `YYYY-MM-DDTHH:mm:ss+hhmm`. */
  time: string;
  /** Day of week, `0` = Sunday … `6` = Saturday. */
  dow: string;
  /** Zero-padded `01`–`12`. */
  month: string;
  /** Zero-padded `01`–`31`. */
  dom: string;
  /** Zero-padded `00`–`23`. */
  hour: string;
  /** Zero-padded `00`–`59`. */
  minute: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** True when `timeZone` is an IANA zone name this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAYS: Record<string, string> = {
  Sun: '0',
  Mon: '1',
  Tue: '2',
  Wed: '3',
  Thu: '4',
  Fri: '5',
  Sat: '6',
};

/** Computes the local-time fields of `epochMillis` in `timeZone`, daylight-saving correct. */
export function localTimeFields(epochMillis: number, timeZone: string): LocalTimeFields {
  const offsetMs = steadyOffset(epochMillis, timeZone);
  if (offsetMs === undefined) return exactLocalTimeFields(epochMillis, timeZone);
  const local = new Date(epochMillis + offsetMs);
  const year = String(local.getUTCFullYear());
  const month = two(local.getUTCMonth() + 1);
  const day = two(local.getUTCDate());
  const hour = two(local.getUTCHours());
  const minute = two(local.getUTCMinutes());
  const second = two(local.getUTCSeconds());
  return {
    t: `${year}${month}${day}${hour}${minute}${second}`,
    time: `${year}-${month}-${day}T${hour}:${minute}:${second}${formatOffset(Math.round(offsetMs / 60000))}`,
    dow: String(local.getUTCDay()),
    month,
    dom: day,
    hour,
    minute,
  };
}

const two = (n: number) => (n < 10 ? `0${n}` : String(n));

function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${two(Math.floor(abs / 60))}${two(abs % 60)}`;
}

/**
 * UTC offsets per time zone and quarter hour, cached: asking `Intl` for every point costs more than the
 * rest of normalising it. A quarter hour whose start and end have the same offset has that offset
 * throughout (no zone changes its offset twice within 15 minutes); one with a transition in it is not
 * cached, and its points take the exact path.
 */
const OFFSET_SPAN_MS = 15 * 60_000;
const offsets = new Map<string, number | null>();
const MAX_CACHED_OFFSETS = 100_000;

function steadyOffset(epochMillis: number, timeZone: string): number | undefined {
  const span = Math.floor(epochMillis / OFFSET_SPAN_MS);
  const key = `${timeZone}|${span}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = exactOffsetMs(span * OFFSET_SPAN_MS, timeZone);
    const end = exactOffsetMs((span + 1) * OFFSET_SPAN_MS - 1000, timeZone);
    offset = start === end ? start : null;
    if (offsets.size >= MAX_CACHED_OFFSETS) offsets.clear();
    offsets.set(key, offset);
  }
  return offset ?? undefined;
}

function localParts(epochMillis: number, timeZone: string): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMillis))) {
    parts[part.type] = part.value;
  }
  return parts;
}

/** Local wall-clock parts at this instant, and local time minus UTC in whole seconds (as milliseconds). */
function localAt(epochMillis: number, timeZone: string): { parts: Record<string, string>; offsetMs: number } {
  const parts = localParts(epochMillis, timeZone);
  const localAsUtc = Date.UTC(
    Number(parts['year']),
    Number(parts['month']) - 1,
    Number(parts['day']),
    Number(parts['hour']),
    Number(parts['minute']),
    Number(parts['second']),
  );
  return { parts, offsetMs: localAsUtc - Math.floor(epochMillis / 1000) * 1000 };
}

function exactOffsetMs(epochMillis: number, timeZone: string): number {
  return localAt(epochMillis, timeZone).offsetMs;
}

/** The local-time fields straight from `Intl` (no cache). */
export function exactLocalTimeFields(epochMillis: number, timeZone: string): LocalTimeFields {
  const { parts, offsetMs } = localAt(epochMillis, timeZone);
  const { year = '', month = '', day = '', hour = '', minute = '', second = '', weekday = '' } = parts;
  return {
    t: `${year}${month}${day}${hour}${minute}${second}`,
    time: `${year}-${month}-${day}T${hour}:${minute}:${second}${formatOffset(Math.round(offsetMs / 60000))}`,
    dow: WEEKDAYS[weekday] ?? '',
    month,
    dom: day,
    hour,
    minute,
  };
}
