/**
 * Values every fast-check spec probes a field with, beside its own: absent, null, empty and blank
 * strings, class-validator's MinLength corner (emoji presentation selectors), numbers that are not
 * finite or not integers, and the wrong JSON types.
 */
export const COMMON_PROBES: readonly unknown[] = [
  undefined,
  null,
  '',
  ' ',
  '\uFE0F',
  '\uFE0Fa',
  0,
  -1,
  1.5,
  NaN,
  Infinity,
  true,
  {},
  [],
];
