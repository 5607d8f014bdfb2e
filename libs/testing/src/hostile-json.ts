import * as fc from 'fast-check';

/*
 * fast-check arbitraries of hostile request bodies, as JSON text: text rather than values, so a body can
 * hold what JSON.stringify never writes (1e999999, -0, 9007199254740993 as typed, lone surrogates and NUL
 * as escapes) and keys such as `__proto__`, which JSON.parse makes an own property.
 */

/** Keys that are an object's machinery in JavaScript rather than data. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Number tokens at and past the edges of a double and of safe integers, as raw JSON text. */
export const hostileNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '1e308',
    '-1e308',
    '1.8e308',
    '1e999999',
    '-1e999999',
    '1e-999999',
    '5e-324',
    '-0',
    '-0.0',
    '9007199254740993',
    '-9007199254740993',
    '123456789012345678901234567890',
    '1E+2',
    '0.1',
    '3.14',
    '-1',
    '0',
    '1',
    '60',
    '61',
    '1000000001',
  ),
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
);

/** String tokens: lone surrogates and NUL as raw escapes, injection-looking text, long and empty text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '""',
    '" "',
    '"\\ud800"',
    '"\\udc00x"',
    '"x\\ud83d"',
    '"\\u0000"',
    '"a\\u0000b"',
    '"\\u0001\\u001f"',
    '"\\ufeff"',
    '"%00"',
    '"../../etc/passwd"',
    `"'; drop table registry.zones; --"`,
    '"Zone ✓ 区域 🚻"',
    `"${'x'.repeat(5000)}"`,
    '"{{lid}}"',
    '"L0"',
    '"2026-11-26T08:15:30Z"',
  ),
  // JSON.stringify writes a lone surrogate as an escape, so the text stays well-formed UTF-8.
  fc.string({ unit: 'binary', maxLength: 24 }).map((s) => JSON.stringify(s)),
);

/** Any scalar JSON token. */
export const hostileScalar: fc.Arbitrary<string> = fc.oneof(
  hostileNumber,
  hostileString,
  fc.constantFrom('true', 'false', 'null'),
);

/**
 * `[[[…x…]]]` or `{"a":{"a":…x…}}` nested 17 to 3,000 levels deep, or 20,000 or 100,000 (past what a
 * recursive walk of the parsed value survives).
 */
export const deeplyNested: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 17, max: 3000 }) }, fc.constantFrom(20_000, 100_000)),
    fc.boolean(),
    hostileScalar,
  )
  .map(([depth, array, inner]) =>
    array
      ? `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}${inner}${'}'.repeat(depth)}`,
  );

/** An object key: a prototype key, one of `known` (a request's own fields), or any text. */
export function hostileKey(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom<string>(...PROTOTYPE_KEYS, ...known),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
}

/**
 * Any JSON value as text, of every type, nested a few levels (objects keyed by {@link hostileKey}) or
 * very deep, with the hostile scalars above as leaves, and `leaves` (e.g. ids that exist) among them.
 */
export function hostileJson(
  known: readonly string[] = [],
  leaves: readonly unknown[] = [],
): fc.Arbitrary<string> {
  const key = hostileKey(known).map((k) => JSON.stringify(k));
  const leaf =
    leaves.length > 0
      ? fc.oneof(
          { weight: 4, arbitrary: hostileScalar },
          fc.constantFrom(...leaves.map((l) => JSON.stringify(l))),
        )
      : hostileScalar;
  const { value } = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
      fc
        .array(fc.tuple(key, tie('value')), { maxLength: 4 })
        .map((entries) => `{${entries.map(([k, v]) => `${k}:${v}`).join(',')}}`),
    ),
  }));
  return fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: deeplyNested });
}

/** Bodies that are not JSON at all, or not what a parser expects at the top level. */
export const malformedJson: fc.Arbitrary<string> = fc.constantFrom(
  '',
  ' ',
  'null',
  '[]',
  '{}',
  '"text"',
  '42',
  'true',
  '{"unterminated":',
  '{"a":1}{',
  '[1,]',
  '{"a":1,}',
  '\ufeff{}',
  "{'single': 1}",
  'NaN',
  '\u0000',
  '{"\\ud800": 1}',
);

type Mutation =
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'delete'; at: number }
  | { kind: 'add'; at: number; key: string; text: string };

/**
 * `valid` (a request body that passes validation) with one mutation at any node, as JSON text: a value
 * replaced by a hostile one, a field removed, or a field (often a prototype key) added to an object at
 * any depth; or `valid` unchanged. So most runs get past the first checks and reach deep validation.
 */
export function mutatedJson(
  valid: unknown,
  known: readonly string[] = [],
  leaves: readonly unknown[] = [],
): fc.Arbitrary<string> {
  const nodes = countNodes(valid);
  const at = fc.nat({ max: nodes - 1 });
  const mutation: fc.Arbitrary<Mutation | undefined> = fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('replace' as const), at, text: hostileJson(known, leaves) }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), at }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('add' as const),
        at,
        key: hostileKey(known),
        text: hostileJson(known, leaves),
      }),
    },
  );
  return mutation.map((m) => render(valid, m, { next: 0 }) ?? '');
}

function countNodes(value: unknown): number {
  if (Array.isArray(value)) return 1 + value.reduce((n: number, item) => n + countNodes(item), 0);
  if (typeof value === 'object' && value !== null) {
    return 1 + Object.values(value).reduce((n: number, item) => n + countNodes(item), 0);
  }
  return 1;
}

/** Writes `value` as JSON with `m` applied; `undefined` for a deleted node. */
function render(value: unknown, m: Mutation | undefined, counter: { next: number }): string | undefined {
  const here = counter.next++;
  const hit = m !== undefined && m.at === here;
  if (hit && m.kind === 'delete') {
    counter.next += countNodes(value) - 1;
    return undefined;
  }
  if (hit && m.kind === 'replace') {
    counter.next += countNodes(value) - 1;
    return m.text;
  }
  const added = hit && m.kind === 'add' ? m : undefined;
  if (Array.isArray(value)) {
    const items = value.map((item) => render(item, m, counter)).filter((item) => item !== undefined);
    if (added) items.push(added.text);
    return `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).flatMap(([key, item]) => {
      const text = render(item, m, counter);
      return text === undefined ? [] : [`${JSON.stringify(key)}:${text}`];
    });
    if (added) entries.push(`${JSON.stringify(added.key)}:${added.text}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
