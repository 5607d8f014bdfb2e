/* Parsing an ISO 8601 instant, shared by the REST features (a root file: it imports no folder). */

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)$/;

/**
 * Epoch milliseconds of an ISO 8601 time **with** a zone designator (`Z` or `±hh:mm`), or undefined.
 * A time without one is refused: it would be ambiguous. An unencoded `+` in a query string arrives as
 * a space (`…T00:00:00 01:00`); that is read as the `+` it was.
 */
export function parseInstant(text: string): number | undefined {
  const match = ISO_INSTANT.exec(
    text.replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$/, '$1+$2'),
  );
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone] = match;
  const fields = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  const [year, month, day, hour, minute, second] = fields;
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(local);
  // Date.UTC rolls 2026-02-30 over to March: refuse what does not round-trip.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined;
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone!.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = Number(digits.slice(2) || '0');
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone!.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const millis = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
  return local - offsetMinutes * 60_000 + millis;
}
