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
  it('answers the event of a valid body and the contract problems of an invalid one', () => {
    expect(decodeMatrixEvent(bytes(EVENT))).toEqual({ ok: true, items: [EVENT] });
    expect(decodeMatrixEvent(bytes({ ...EVENT, Status: 'LOUD' }))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^Status: /),
    });
    expect(decodeMatrixEvent(bytes('{"Event":'))).toEqual({
      ok: false,
      reason: expect.stringMatching(/^body: not JSON/),
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

  it('refuses a single point object, an invalid point and a body that is not JSON', () => {
    expect(decodeSensorData(bytes(POINT), {}, 'S:1')).toEqual({
      ok: false,
      reason: expect.stringContaining('one point object'),
    });
    expect(decodeSensorData(bytes([POINT, { ...POINT, dow: '9' }]), {}, 'S:1')).toEqual({
      ok: false,
      reason: expect.stringMatching(/^\[1\]\.dow: /),
    });
    expect(decodeSensorData(bytes('[{'), {}, 'S:1')).toMatchObject({ ok: false });
  });
});
