import { isValidTimeZone, localTimeFields } from '@matrix/contracts';

export { parseInstant } from '../instant';

/** An IANA zone name (`Europe/Berlin`, `UTC`, `Etc/GMT+1`) that both this runtime and PostgreSQL read alike. */
export function isIanaTimeZone(name: string): boolean {
  // Offsets such as `+01:00` are refused: PostgreSQL reads POSIX offsets with the opposite sign.
  return /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/.test(name) && isValidTimeZone(name);
}

/** `2026-03-29T00:00:00+01:00`: the instant in `timeZone`, with its offset there (milliseconds when not zero). */
export function isoInZone(epochMillis: number, timeZone: string): string {
  const { time } = localTimeFields(epochMillis, timeZone); // `YYYY-MM-DDTHH:mm:ss+hhmm`
  const ms = ((epochMillis % 1000) + 1000) % 1000;
  const fraction = ms === 0 ? '' : `.${String(ms).padStart(3, '0')}`;
  return `${time.slice(0, 19)}${fraction}${time.slice(19, 22)}:${time.slice(22)}`;
}

/** `2020-10-01T00:30:00Z` (milliseconds only when not zero), as the TSDB examples write times. */
export function isoUtc(epochMillis: number): string {
  return new Date(epochMillis).toISOString().replace('.000Z', 'Z');
}
