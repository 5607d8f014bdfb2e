import {
  deviceScope,
  evaluate,
  LATE_HORIZON_MS,
  loadedDevice,
  MAX_SEEN,
  recordKey,
  storedDevice,
  type DeviceRecord,
  type SolutionReading,
  type ZoneRecord,
} from './solution-engine';
import { DEFAULT_SOLUTION_PARAMS, type SolutionParams } from './solution-params';

const MIN = 60_000;
const T0 = 1_800_000_000_000;

function reading(id: string, at: number, v: Record<string, unknown>, over: Partial<SolutionReading> = {}) {
  return {
    id,
    pid: 'b1',
    propId: 'p1',
    zoneId: 'z1',
    devId: 'pc1',
    devType: 'SMARTCLEAN#PPLCTR',
    slotType: 'PPLCTR',
    at,
    region: 'Asia/Singapore',
    v,
    ...over,
  } satisfies SolutionReading;
}

/** An engine over records that persist between calls, like the table. */
function engine(params: Partial<SolutionParams> = {}, lastCleanAt = 0, now = T0 + 30 * MIN) {
  const devices = new Map<string, DeviceRecord>();
  const zones = new Map<string, ZoneRecord>();
  return {
    devices,
    run: (readings: SolutionReading[]) =>
      evaluate({
        readings,
        devices,
        zones,
        params: () => ({ ...DEFAULT_SOLUTION_PARAMS, ...params }),
        lastCleanAt: () => lastCleanAt,
        now,
      }),
  };
}

const visits = (n: number, from: number, prefix = 'r') =>
  Array.from({ length: n }, (_, i) => reading(`${prefix}${i}`, from + i * 1000, { count: 1 }));

describe('the solutions engine', () => {
  it('raises one incident when the threshold is crossed, naming the reading that crossed it', () => {
    const e = engine();
    const out = e.run(visits(30, T0));
    expect(out.raises.map((r) => [r.rule, r.reading.id])).toEqual([['usage', 'r29']]);
    expect(out.counts).toMatchObject({ applied: 30, duplicate: 0 });
  });

  it('changes nothing when the same readings come again (redelivery, replay)', () => {
    const e = engine();
    const batch = visits(30, T0);
    e.run(batch);
    const before = JSON.stringify([...e.devices]);
    const again = e.run([...batch].reverse());
    expect(again.raises).toEqual([]);
    expect(again.counts).toMatchObject({ applied: 0, duplicate: 30 });
    expect(again.changed.size).toBe(0);
    expect(JSON.stringify([...e.devices])).toBe(before);
  });

  it('applies a batch in reading time order whatever the arrival order', () => {
    const shuffled = visits(30, T0).sort((a, b) => (a.id.length - b.id.length) * -1 || b.at - a.at);
    expect(
      engine()
        .run(shuffled)
        .raises.map((r) => r.reading.id),
    ).toEqual(['r29']);
  });

  it('ignores a reading older than the late horizon behind the newest of its device', () => {
    const e = engine();
    e.run([reading('new', T0, { count: 1 })]);
    const out = e.run([reading('old', T0 - LATE_HORIZON_MS - 1, { count: 29 })]);
    expect(out.counts).toMatchObject({ late: 1, applied: 0 });
    expect(out.raises).toEqual([]);
  });

  it('applies a late reading within the horizon by its own time', () => {
    const e = engine();
    e.run(visits(29, T0));
    const out = e.run([reading('late', T0 - 10 * MIN, { count: 1 })]);
    expect(out.raises.map((r) => r.reading.id)).toEqual(['late']);
  });

  it('blocks a second incident of the device within its block window and allows it after', () => {
    const e = engine({ PeopleThreshold: 1, ZoneBlockSeconds: 0 });
    const out = e.run([
      reading('a', T0, { count: 1 }),
      reading('b', T0 + 14 * MIN, { count: 1 }),
      reading('c', T0 + 15 * MIN, { count: 1 }),
    ]);
    expect(out.raises.map((r) => r.reading.id)).toEqual(['a', 'c']);
    expect(out.counts.blocked).toBe(1);
  });

  it('blocks incidents of other devices in the zone within the zone block window', () => {
    const e = engine({ PeopleThreshold: 1, MinFillPercent: 5 });
    const soap = { devId: 'soap1', devType: 'SMARTCLEAN#SS', slotType: 'SS' };
    const out = e.run([
      reading('pc', T0, { count: 1 }),
      reading('s1', T0 + 5 * MIN, { p: 2 }, soap),
      reading('other-zone', T0 + 5 * MIN, { p: 2 }, { ...soap, devId: 'soap2', zoneId: 'z2' }),
    ]);
    expect(out.raises.map((r) => r.reading.id)).toEqual(['pc', 'other-zone']);
    // The soap dispenser stays armed: it raises once the zone's window is over.
    const later = e.run([reading('s2', T0 + 16 * MIN, { p: 1 }, soap)]);
    expect(later.raises.map((r) => r.reading.id)).toEqual(['s2']);
  });

  it('keeps counting while blocked, so the next reading after the window raises', () => {
    const e = engine({ PeopleThreshold: 2, ZoneBlockSeconds: 0 });
    const out = e.run([
      reading('a', T0, { count: 2 }),
      reading('b', T0 + MIN, { count: 2 }),
      reading('c', T0 + 20 * MIN, { count: 0 }),
    ]);
    expect(out.raises.map((r) => r.reading.id)).toEqual(['a', 'c']);
  });

  it('does nothing for a disabled slot type, remembering nothing', () => {
    const e = engine({ Enabled: false });
    const out = e.run(visits(40, T0));
    expect(out).toMatchObject({ raises: [], counts: { disabled: 40, applied: 0 } });
    expect(e.devices.get(recordKey('b1', deviceScope('pc1')))).toBeUndefined();
  });

  it('does not apply a reading stamped more than 5 minutes ahead of the clock', () => {
    const e = engine({}, 0, T0);
    const out = e.run([
      reading('ahead', T0 + 6 * MIN, { count: 30 }),
      reading('soon', T0 + 4 * MIN, { count: 1 }),
    ]);
    expect(out.counts).toMatchObject({ future: 1, applied: 1 });
    expect(out.raises).toEqual([]);
    // The glitch left no trace: the device's readings after it are not late.
    expect(e.run([reading('next', T0 + MIN, { count: 29 })]).raises.map((r) => r.reading.id)).toEqual([
      'next',
    ]);
  });

  it('counts a reading older than an hour by the clock but raises nothing for it', () => {
    const e = engine({}, 0, T0 + 2 * 60 * MIN);
    const out = e.run(visits(30, T0));
    expect(out).toMatchObject({ raises: [], counts: { applied: 30, stale: 1 } });
    // The visits counted: the next fresh reading raises.
    const fresh = e.run([reading('fresh', T0 + 2 * 60 * MIN, { count: 0 })]);
    expect(fresh.raises.map((r) => r.reading.id)).toEqual(['fresh']);
  });

  it('keeps the devices of two buildings apart', () => {
    const e = engine();
    const out = e.run([...visits(20, T0, 'x'), ...visits(20, T0, 'y').map((r) => ({ ...r, pid: 'b2' }))]);
    expect(out.raises).toEqual([]);
  });
  it('remembers a device’s last 32 readings, stored as offsets before its newest, and calls older ones late', () => {
    const e = engine({ PeopleThreshold: 1000 });
    e.run(visits(40, T0));
    const device = e.devices.get(recordKey('b1', deviceScope('pc1')))!;
    expect(device.seen).toHaveLength(MAX_SEEN);
    expect(device.seen[0]![1]).toBe(T0 + 8 * 1000);
    const stored = storedDevice(device);
    expect(stored.seen.at(-1)![1]).toBe(0);
    expect(stored.seen[0]![1]).toBe(31 * 1000);
    expect(loadedDevice(JSON.parse(JSON.stringify(stored)))).toEqual(device);
    // r0…r7 were let go: as old as or older than the oldest remembered, they are late, not new.
    const again = e.run(visits(40, T0));
    expect(again.counts).toMatchObject({ applied: 0, duplicate: 32, late: 8 });
  });
});
