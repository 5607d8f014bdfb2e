/**
 * The numeric fields of `v` per documented slot type (reference §3.4), i.e. what can be summed,
 * averaged, … . Non-numeric fields (`nm`, `reasons`, `c`, `type`, `Tb`, …) are left out. Numeric
 * strings (`b` in mV, `rssi`) count as numbers. Types of other providers are not listed: any
 * well-formed field name is accepted for them.
 */
export const SLOT_NUMERIC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'SMARTCLEAN#PPLCTR': ['count', 'out_count'],
  'SMARTCLEAN#UM': ['count', 'b'],
  'SMARTCLEAN#FD': ['rating', 'n', 's'],
  'SMARTCLEAN#TR': ['p', 'd'],
  'SMARTCLEAN#PT': ['p', 'd'],
  'SMARTCLEAN#SS': ['p', 'd'],
  'SMARTCLEAN#BIN': ['p', 'd'],
  'SMARTCLEAN#WD': ['value', 'AreaP'],
  'SMARTCLEAN#ODRDTR_10_IN_1': [
    'co2',
    'hcho',
    'humidity',
    'light_level',
    'tvoc',
    'pm_10',
    'pm_25',
    'pressure',
    'temperature',
    'pir_trigger',
  ],
  'SMARTCLEAN#ODRDTR_BATT_V1': ['amm', 'aqi', 'rh', 'temp'],
  'SMARTCLEAN#ODRDTR': [
    'amm',
    'alc',
    'no2',
    'amm_zscore',
    'alc_zscore',
    'no2_zscore',
    'amm_expected',
    'alc_expected',
    'no2_expected',
    'rssi',
  ],
  'SMARTCLEAN#OCCMINEW': ['occ'],
  'SMARTCLEAN#OCCSCM': ['occ'],
  'SMARTCLEAN#OCCDESK': ['occ'],
  'SMARTCLEAN#TILT': ['Xt', 'Yt', 'Zt', 'v'],
  'SMARTCLEAN#TH': ['t', 'h'],
};

/**
 * Other names of a field, per slot type: the schema's `pm_2.5` is stored as `pm_25` (canonical, see
 * the contracts), and the documented metric `sg.smartclean.odrdtr.raw.voc` names ODRDTR's `alc`
 * ("VOC", reference §3.4.8).
 */
const FIELD_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'SMARTCLEAN#ODRDTR_10_IN_1': { 'pm_2.5': 'pm_25' },
  'SMARTCLEAN#ODRDTR': { voc: 'alc' },
};

/** A field name that may be looked up in `v` (it is always bound as a parameter, never interpolated). */
export const FIELD_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

const ALL_FIELDS = [...new Set(Object.values(SLOT_NUMERIC_FIELDS).flat())].sort();

/**
 * The numeric fields a type filter allows: a documented type (`SMARTCLEAN#PPLCTR`, or bare `PPLCTR`)
 * its own; no type every documented field; another provider's type `null` (any well-formed name).
 */
export function numericFieldsFor(type: string | undefined): readonly string[] | null {
  if (type === undefined) return ALL_FIELDS;
  if (Object.hasOwn(SLOT_NUMERIC_FIELDS, type)) return SLOT_NUMERIC_FIELDS[type]!;
  if (!type.includes('#') && Object.hasOwn(SLOT_NUMERIC_FIELDS, `SMARTCLEAN#${type}`)) {
    return SLOT_NUMERIC_FIELDS[`SMARTCLEAN#${type}`]!;
  }
  return null;
}

/**
 * The stored field that `name` stands for in `type`'s `v`: exact, else an alias, else (when
 * `ignoreCase`, as for metric names, which are lower case) a case-insensitive match. Undefined when
 * a documented type has no such numeric field.
 */
export function resolveField(type: string | undefined, name: string, ignoreCase = false): string | undefined {
  const known = numericFieldsFor(type);
  if (known === null) return FIELD_NAME.test(name) ? name : undefined;
  if (known.includes(name)) return name;
  const canonicalType = type && !type.includes('#') ? `SMARTCLEAN#${type}` : type;
  const aliases =
    canonicalType && Object.hasOwn(FIELD_ALIASES, canonicalType) ? FIELD_ALIASES[canonicalType]! : {};
  const lower = name.toLowerCase();
  const alias = Object.entries(aliases).find(([from]) => from === name || (ignoreCase && from === lower));
  if (alias) return alias[1];
  return ignoreCase ? known.find((field) => field.toLowerCase() === lower) : undefined;
}
