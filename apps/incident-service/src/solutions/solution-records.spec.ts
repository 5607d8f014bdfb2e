import { deviceScope, emptyZone, recordKey, zoneScope, type DeviceRecord } from './solution-engine';
import { RecordCache } from './solution-records';
import { NOT_STORED, type StoredRecord } from './solutions.repository';

const dev = (id: string) => recordKey('b1', deviceScope(id));
const zone = (id: string) => recordKey('b1', zoneScope(id));
const device = (newest: number): DeviceRecord => ({
  newest,
  seen: [['r1', newest - 1000]],
  rules: {},
  raises: [],
});

describe('RecordCache', () => {
  it('holds what was read at its version, and an empty record not stored yet for a key with none', () => {
    const cache = new RecordCache(10);
    const keys = [dev('d1'), dev('d2'), zone('z1')];
    expect(cache.missing(keys)).toEqual(keys);
    const loaded = new Map<string, StoredRecord>([
      [dev('d1'), { kind: 'device', record: device(5000), version: 7 }],
    ]);
    cache.fill(keys, loaded);
    expect(cache.missing(keys)).toEqual([]);
    const { devices, zones } = cache.view(keys);
    expect(devices.get(dev('d1'))).toEqual(device(5000));
    expect(devices.get(dev('d2'))).toEqual({ newest: 0, seen: [], rules: {}, raises: [] });
    expect(zones.get(zone('z1'))).toEqual(emptyZone());
    devices.get(dev('d2'))!.newest = 9000;
    cache.markChanged([dev('d1'), dev('d2')]);
    const snapshot = cache.takeChanged();
    expect(snapshot.writes).toEqual([
      // A device's remembered readings are stored as milliseconds before its newest.
      { key: dev('d1'), state: JSON.stringify({ ...device(5000), seen: [['r1', 1000]] }), version: 7 },
      {
        key: dev('d2'),
        state: JSON.stringify({ newest: 9000, seen: [], rules: {}, raises: [] }),
        version: NOT_STORED,
      },
    ]);
    expect(cache.takeChanged().writes).toEqual([]);
  });

  it('moves each record of a committed checkpoint to its next version, and writes the state it had when taken', () => {
    const cache = new RecordCache(10);
    cache.fill(
      [dev('d1'), dev('d2')],
      new Map([[dev('d1'), { kind: 'device', record: device(1), version: 3 }]]),
    );
    cache.markChanged([dev('d1'), dev('d2')]);
    const first = cache.takeChanged();
    // Changed again while the checkpoint runs: the snapshot keeps the state it took.
    cache.view([dev('d1')]).devices.get(dev('d1'))!.newest = 42;
    cache.markChanged([dev('d1')]);
    expect(JSON.parse(first.writes[0]!.state)).toMatchObject({ newest: 1 });
    cache.committed(first);
    expect(cache.takeChanged().writes).toEqual([
      { key: dev('d1'), state: expect.stringContaining('"newest":42'), version: 4 },
    ]);
    cache.markChanged([dev('d2')]);
    expect(cache.takeChanged().writes.map((w) => w.version)).toEqual([1]);
  });

  it('lets go of the least recently used unchanged records past its bound, never a changed one', () => {
    const cache = new RecordCache(4);
    const keys = ['a', 'b', 'c', 'd', 'e', 'f'].map(dev);
    for (const key of keys) {
      cache.fill([key], new Map());
      cache.takeChanged(); // a checkpoint passes between each: older use
    }
    cache.view([dev('a')]); // used again: the most recent
    cache.markChanged([dev('b')]);
    expect(cache.evict()).toBe(3);
    expect(cache.missing(keys)).toEqual([dev('c'), dev('d'), dev('e')]);
    expect(cache.evict()).toBe(0);
  });

  it('refuses to hand the engine a record it does not hold, and forgets everything on clear', () => {
    const cache = new RecordCache(4);
    expect(() => cache.view([dev('x')])).toThrow("the solutions' record b1 device:x is not held");
    cache.fill([dev('x')], new Map());
    cache.markChanged([dev('x')]);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.takeChanged().writes).toEqual([]);
  });
});
