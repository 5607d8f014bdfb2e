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
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMillis))) {
    parts[part.type] = part.value;
  }
  const { year = '', month = '', day = '', hour = '', minute = '', second = '', weekday = '' } = parts;
  const localAsUtc = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
  );
  const offsetMinutes = Math.round((localAsUtc - Math.floor(epochMillis / 1000) * 1000) / 60000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return {
    t: `${year}${month}${day}${hour}${minute}${second}`,
    time: `${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`,
    dow: WEEKDAYS[weekday] ?? '',
    month,
    dom: day,
    hour,
    minute,
  };
}
