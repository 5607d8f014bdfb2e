import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeMatrixEvent, decodeSensorData } from './decode';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(__dirname, '../../../contracts/fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;
const EVENT = fixture('matrix-event/v1/task-completed.json');
const POINT = fixture('normalised-sensor-data-point/v1/people-counter.json');
const bytes = (value: unknown) =>
  new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value));

describe('decodeMatrixEvent', () => {
  it('answers the event of a valid body, an invalid item for an object failing the contract, and refuses a malformed body', () => {
    expect(decodeMatrixEvent(bytes(EVENT))).toEqual({ ok: true, items: [EVENT], invalid: [] });
    // A value this SDK does not know yet is not a malformed body (docs/contracts.md: values may be added).
    const louder = { ...EVENT, Status: 'LOUD' };
    expect(decodeMatrixEvent(bytes(louder))).toEqual({
      ok: true,
      items: [],
      invalid: [{ index: 0, value: louder, reason: expect.stringMatching(/^Status: /) }],
    });
    expect(decodeMatrixEvent(bytes('{"Event":'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^body: not JSON/),
    });
    expect(decodeMatrixEvent(bytes([EVENT]))).toEqual({
      ok: false,
      reason: expect.stringMatching(/JSON object/),
    });
  });
});

describe('decodeSensorData', () => {
  it('pairs each point with its reading id from Matrix-Reading-Ids, or the fallback', () => {
    const second = { ...POINT, unixT: 1700000060000 };
    expect(decodeSensorData(bytes([POINT, second]), { 'Matrix-Reading-Ids': 'a,b' }, 'S:7')).toEqual({
      ok: true,
      items: [
        { point: POINT, readingId: 'a' },
        { point: second, readingId: 'b' },
      ],
      invalid: [],
    });
    expect(decodeSensorData(bytes([POINT, second]), {}, 'S:7')).toMatchObject({
      ok: true,
      items: [{ readingId: 'S:7#0' }, { readingId: 'S:7#1' }],
    });
    expect(decodeSensorData(bytes([POINT]), {}, 'S:8')).toMatchObject({
      ok: true,
      items: [{ readingId: 'S:8' }],
    });
  });

  it('answers the valid points of a message beside its contract-invalid ones, each keeping its reading id', () => {
    const odd = { ...POINT, dow: '9' };
    expect(decodeSensorData(bytes([odd, POINT]), { 'Matrix-Reading-Ids': 'a,b' }, 'S:1')).toEqual({
      ok: true,
      items: [{ point: POINT, readingId: 'b' }],
      invalid: [{ index: 0, value: odd, reason: expect.stringMatching(/^dow: /) }],
    });
  });

  it('refuses a single point object, an empty array, a non-object element and a body that is not JSON', () => {
    expect(decodeSensorData(bytes(POINT), {}, 'S:1')).toEqual({
      ok: false,
      reason: expect.stringContaining('one point object'),
    });
    expect(decodeSensorData(bytes([]), {}, 'S:1')).toEqual({
      ok: false,
      reason: expect.stringMatching(/empty/),
    });
    expect(decodeSensorData(bytes([POINT, 7]), {}, 'S:1')).toEqual({
      ok: false,
      reason: '[1]: must be a JSON object',
    });
    expect(decodeSensorData(bytes('[{'), {}, 'S:1')).toMatchObject({ ok: false });
  });
});
