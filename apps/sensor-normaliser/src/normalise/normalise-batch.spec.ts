import { type DeviceSlotEntry, HEADER, pointBatchMsgId, type SensorDataPointV1 } from '@matrix/contracts';
import type { InboundMessage } from '@matrix/messaging';
import { normaliseBatch, type NormaliseContext } from './normalise-batch';

const PID = '45ea1d38775046dbbdc955362b8834b1';
const UNIX_T = Date.parse('2026-11-26T08:15:30Z');

const entry = (alias: string, type: string): DeviceSlotEntry =>
  ({
    Alias: alias,
    DevType: `SMARTCLEAN#${type}`,
    PID,
    InsID: 'zone-1',
    Region: 'Europe/Berlin',
  }) as DeviceSlotEntry;

const SLOTS = new Map([
  ['counter', entry('counter', 'PPLCTR')],
  ['feedback', entry('feedback', 'FD')],
]);

const context: NormaliseContext = {
  lookup: (devid) => SLOTS.get(devid),
  directoryRevision: 7,
  now: () => new Date('2026-11-26T09:00:00Z'),
};

const point = (DEVID: string, type: string, offset: number, v: unknown): SensorDataPointV1 =>
  ({ DEVID, DevType: `SMARTCLEAN#${type}`, unixT: UNIX_T + offset, v }) as SensorDataPointV1;

/** A raw message as push-ingress publishes it, on the lane of ingest key `key`. */
function rawMessage(
  seq: number,
  ids: string[],
  points: SensorDataPointV1[],
  key = 'key1',
): InboundMessage<SensorDataPointV1[]> {
  return {
    subject: `sensor.raw.SMARTCLEAN.${key}`,
    data: points,
    raw: new TextEncoder().encode(JSON.stringify(points)),
    headers: { [HEADER.readingIds]: ids.join(','), [HEADER.ingestKeyId]: key, [HEADER.ingestPid]: PID },
    msgId: `raw:${seq}`,
    correlationId: `corr-${seq}`,
    streamSequence: seq,
    deliveryCount: 1,
    isLastDelivery: false,
    storedAt: new Date(),
    working: () => undefined,
  };
}

const bodyOf = (payload: unknown) =>
  JSON.parse(new TextDecoder().decode(payload as Uint8Array)) as Record<string, unknown>[];

describe('normaliseBatch', () => {
  it('groups the valid points of several raw messages by subject, in stream order, with ids from their reading ids', () => {
    const batch = normaliseBatch(
      [
        rawMessage(
          1,
          ['a', 'b'],
          [point('counter', 'PPLCTR', 0, { count: 1 }), point('feedback', 'FD', 1, { rating: 4 })],
        ),
        rawMessage(
          2,
          ['c', 'd'],
          [point('counter', 'PPLCTR', 2, { count: 2 }), point('feedback', 'FD', 3, { rating: 2 })],
          'key2',
        ),
        rawMessage(3, ['e'], [point('counter', 'PPLCTR', 4, { count: 3 })]),
      ],
      context,
    );
    expect(batch.data.map((m) => [m.subject, m.headers, m.msgId, m.correlationId])).toEqual([
      [
        `sensor.data.${PID}.SMARTCLEAN.PPLCTR`,
        { [HEADER.readingIds]: 'a,c,e' },
        pointBatchMsgId('data', ['a', 'c', 'e']),
        'corr-1',
      ],
      [
        `sensor.data.${PID}.SMARTCLEAN.FD`,
        { [HEADER.readingIds]: 'b,d' },
        pointBatchMsgId('data', ['b', 'd']),
        'corr-1',
      ],
    ]);
    expect(bodyOf(batch.data[0]!.payload).map((p) => p['v'])).toEqual([
      { count: 1 },
      { count: 2 },
      { count: 3 },
    ]);
    expect(bodyOf(batch.data[1]!.payload).map((p) => p['unixT'])).toEqual([UNIX_T + 1, UNIX_T + 3]);
    expect(batch.rejections).toEqual([]);
    expect(batch.perMessage).toEqual([
      { valid: 2, rejected: [] },
      { valid: 2, rejected: [] },
      { valid: 1, rejected: [] },
    ]);
  });

  it('gives the same messages with the same ids when the same raw messages are handled together again', () => {
    const messages = [
      rawMessage(1, ['a'], [point('counter', 'PPLCTR', 0, { count: 1 })]),
      rawMessage(2, ['b'], [point('counter', 'PPLCTR', 1, { count: 1 })]),
    ];
    const first = normaliseBatch(messages, context);
    const again = normaliseBatch(messages, context);
    expect(again.data.map((m) => m.msgId)).toEqual(first.data.map((m) => m.msgId));
    expect(first.data.map((m) => m.msgId)).toEqual([pointBatchMsgId('data', ['a', 'b'])]);
  });

  it('rejects bad points alone, with the original point, and says which messages had nothing valid', () => {
    const nowhere = point('nowhere', 'PPLCTR', 0, { count: 1 });
    const batch = normaliseBatch(
      [
        rawMessage(1, ['a'], [nowhere]),
        rawMessage(
          2,
          ['b', 'c'],
          [point('counter', 'PPLCTR', 1, { count: 1 }), point('counter', 'FD', 2, { rating: 1 })],
        ),
      ],
      context,
    );
    expect(batch.data.map((m) => m.headers)).toEqual([{ [HEADER.readingIds]: 'b' }]);
    expect(batch.rejections.map((m) => [m.subject, m.msgId, m.correlationId])).toEqual([
      ['sensor.rejected.unknown_device', 'rejected:a', 'corr-1'],
      ['sensor.rejected.invalid_point', 'rejected:c', 'corr-2'],
    ]);
    expect(batch.rejections[0]!.payload).toMatchObject({
      reason: 'unknown_device',
      rawSubject: 'sensor.raw.SMARTCLEAN.key1',
      rawMsgId: 'a',
      rejectedAt: '2026-11-26T09:00:00.000Z',
      directoryRevision: 7,
      point: nowhere,
      ingest: { keyId: 'key1', pid: PID },
    });
    expect(batch.perMessage).toEqual([
      { valid: 0, rejected: ['unknown_device'] },
      { valid: 1, rejected: ['invalid_point'] },
    ]);
  });

  it('splits a subject of more than 250 points into messages of 250, in order', () => {
    const ids = Array.from({ length: 300 }, (_, i) => `r${i}`);
    const points = ids.map((_, i) => point('counter', 'PPLCTR', i, { count: 1 }));
    const batch = normaliseBatch(
      [
        rawMessage(1, ids.slice(0, 150), points.slice(0, 150)),
        rawMessage(2, ids.slice(150), points.slice(150)),
      ],
      context,
    );
    expect(batch.data.map((m) => m.headers![HEADER.readingIds]!.split(','))).toEqual([
      ids.slice(0, 250),
      ids.slice(250),
    ]);
  });
});
