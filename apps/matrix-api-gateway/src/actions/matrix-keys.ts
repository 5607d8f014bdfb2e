/* The Matrix API speaks PascalCase (`LevelsCount`, `InsID`); the registry services camelCase. */

const SPECIAL: Record<string, string> = {
  PID: 'pid',
  LID: 'lid',
  InsID: 'insId',
  ZoneCategoryID: 'zoneCategoryId',
  BeaconID: 'beaconId',
  TypeID: 'typeId',
  PropID: 'propId',
  PropId: 'propId',
  ZoneId: 'zoneId',
  Devid: 'devid',
  TZ: 'timeZone',
};
const REVERSE: Record<string, string> = Object.fromEntries(
  Object.entries(SPECIAL).map(([pascal, camel]) => [camel, pascal]),
);

// Own keys only: `SPECIAL['constructor']` would be Object's constructor function.
export function toCamelKey(key: string): string {
  return Object.hasOwn(SPECIAL, key) ? SPECIAL[key]! : key.charAt(0).toLowerCase() + key.slice(1);
}

export function toPascalKey(key: string): string {
  return Object.hasOwn(REVERSE, key) ? REVERSE[key]! : key.charAt(0).toUpperCase() + key.slice(1);
}

/** Renames the top-level keys of a Matrix body; nested values (OperatingHours, Units…) keep their documented shape. */
export function camelBody(
  body: Record<string, unknown>,
  drop: readonly string[] = [],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(body)
      .filter(([key]) => !drop.includes(key))
      .map(([key, value]) => [toCamelKey(key), value]),
  );
}

/** Never a field's name, so named as sent (`Tags.constructor: is not an allowed field name`). */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `levelsCount: must be …` → `LevelsCount: must be …`, and `zones.0.lid` → `Zone.0.LID`. */
export function pascalPath(detail: string): string {
  const [path, ...rest] = detail.split(': ');
  const renamed = (path ?? '')
    .split('.')
    .map((part) =>
      part === 'zones' ? 'Zone' : /^\d+$/.test(part) || PROTOTYPE_KEYS.has(part) ? part : toPascalKey(part),
    )
    .join('.');
  return [renamed, ...rest].join(': ');
}
