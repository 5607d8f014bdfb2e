import * as fc from 'fast-check';
import { expectProblem, hostileJson, malformedJson, mutatedJson, type TestIngestKey } from '@matrix/testing';
import { bearer, IngressHarness, point } from './ingress-harness';

/*
 * Property-based fuzzing (fast-check) of `POST /v1/sensor-data`: batches of valid points mutated at any
 * depth (prototype keys, deep nesting, huge numbers, lone surrogates, NUL, wrong types), points as JSON
 * strings, hostile top-level values and text that is not JSON. Nothing may answer 5xx, every refusal is
 * a problem naming what is wrong, and a refused batch publishes nothing to SENSOR_RAW. The seed is fixed
 * (FUZZ_SEED overrides it, FUZZ_RUNS the number of runs); fast-check prints the seed of a failure.
 */

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261207);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 500);

const h = new IngressHarness('ingest-fuzz');
let key: TestIngestKey;

/** How many messages the namespace's SENSOR_RAW stream holds. */
async function stored(): Promise<number> {
  const info = await h.client.jsm.streams.info(h.client.namespace.stream('SENSOR_RAW'));
  return info.state.messages;
}

beforeAll(async () => {
  await h.start({ bucket: true });
  key = await h.key();
});
afterAll(() => h.stop());

describe('push-ingress refusals', () => {
  it('refuses a point with an object under a constructor key with 400 naming the field, publishing nothing', async () => {
    const before = await stored();
    const response = await h.post(
      '[{"DEVID":"d","DevType":"SMARTCLEAN#PPLCTR","v":{"count":1,"out_count":{"constructor":{"prototype":{"x":1}}}}}]',
      bearer(key),
    );
    expect(response).toMatchObject({
      status: 400,
      body: {
        title: 'Invalid data points',
        errors: [{ index: 0, problems: ['v.out_count.constructor: is not an allowed field name'] }],
      },
    });
    // A valid point with such a key is refused too (it no longer depends on which check looks first).
    const valid = JSON.stringify(point()).replace('"out_count":0', '"out_count":0,"__proto__":{"x":1}');
    expect(await h.post(`[${valid}]`, bearer(key))).toMatchObject({
      status: 400,
      body: { errors: [{ index: 0, problems: ['v.__proto__: is not an allowed field name'] }] },
    });
    expect(await stored()).toBe(before);
  });

  it('refuses the JSON literal null as a body (a batch is an array) with 400 naming it', async () => {
    const before = await stored();
    const response = await h.post('null', bearer(key));
    expect(response).toMatchObject({
      status: 400,
      body: { title: 'Not a batch', detail: 'The body must be a JSON array of data points, got null' },
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await stored()).toBe(before);
  });
});

describe('fuzzed batches', () => {
  it('never answer 5xx, refuse with a problem naming what is wrong and publish nothing refused', async () => {
    const valid = point();
    const fields = ['DEVID', 'DevType', 'unixT', 'v', 'PID', 'InsID', 'Region', 'count', 'out_count'];
    const pointText = fc.oneof(
      { weight: 6, arbitrary: mutatedJson(valid, fields) },
      { weight: 1, arbitrary: hostileJson(fields) },
    );
    const element = fc.oneof(
      { weight: 4, arbitrary: pointText },
      // The documented quirk: a point as a JSON string.
      { weight: 1, arbitrary: pointText.map((text) => JSON.stringify(text)) },
    );
    const batch = fc.array(element, { minLength: 1, maxLength: 4 }).map((items) => `[${items.join(',')}]`);
    const body = fc.oneof(
      { weight: 8, arbitrary: batch },
      { weight: 1, arbitrary: hostileJson(fields) },
      { weight: 1, arbitrary: malformedJson },
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const before = await stored();
        const response = await h.post(text, bearer(key));
        const after = await stored();
        const seen = `${text.slice(0, 300)} → ${response.status} ${JSON.stringify(response.body)?.slice(0, 500)}`;
        expect({ seen, status: response.status < 500 }).toEqual({ seen, status: true });
        if (response.status === 202) {
          expect(response.body).toEqual({
            accepted: expect.any(Number),
            duplicates: expect.any(Number),
            correlationId: expect.any(String),
          });
          expect(after).toBeGreaterThanOrEqual(before);
          return;
        }
        expectProblem(response, seen);
        for (const error of response.body.errors ?? []) {
          expect(error).toEqual({ index: expect.any(Number), problems: expect.any(Array) });
          expect(error.problems.length).toBeGreaterThan(0);
          for (const problem of error.problems) expect(problem).toMatch(/\S/);
        }
        expect({ seen, stored: after }).toEqual({ seen, stored: before });
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
