import { encodeCursor } from './registry-db';
import { RegistryError } from './registry-error';
import {
  MAX_CACHED_ZONES,
  MAX_CACHED_ZONES_PER_BUILDING,
  ZoneMapCache,
  ZoneMapSnapshot,
  type CachedZone,
} from './zone-map-cache';

const zones = (n: number, prefix = 'z'): CachedZone[] =>
  Array.from({ length: n }, (_, i) => ({
    insId: `${prefix}${String(i).padStart(6, '0')}`,
    name: `Zone ${i}`,
    categoryId: i % 2 === 0 ? null : `cat-${i}`,
  }));

describe('ZoneMapSnapshot', () => {
  const snapshot = new ZoneMapSnapshot('b1', 3n, zones(5));

  it('pages after a cursor as the keyset query does (ids greater than the cursor, next = last id)', () => {
    expect(snapshot.page(undefined, 2)).toEqual({
      items: zones(2),
      next: encodeCursor('z000001'),
    });
    expect(snapshot.page(encodeCursor('z000001'), 2)).toEqual({
      items: zones(4).slice(2),
      next: encodeCursor('z000003'),
    });
    expect(snapshot.page(encodeCursor('z000003'), 2)).toEqual({ items: zones(5).slice(4) });
    expect(snapshot.page(undefined, 5)).toEqual({ items: zones(5) });
    // A cursor that is not an id (e.g. of a removed zone) still pages from the next greater id.
    expect(snapshot.page(encodeCursor('z0000015'), 10).items.map((z) => z.insId)).toEqual([
      'z000002',
      'z000003',
      'z000004',
    ]);
    expect(snapshot.page(encodeCursor('zz'), 10)).toEqual({ items: [] });
  });

  it('finds a zone by exact id with its name and category, and nothing for an id it lacks', () => {
    expect(snapshot.zone('z000003')).toEqual({ insId: 'z000003', name: 'Zone 3', categoryId: 'cat-3' });
    expect(snapshot.zone('z000002')).toEqual({ insId: 'z000002', name: 'Zone 2', categoryId: null });
    expect(snapshot.zone('Z000003')).toBeUndefined();
    expect(snapshot.zone('z00000')).toBeUndefined();
    expect(snapshot.zone('z000005')).toBeUndefined();
  });

  it('refuses a cursor the API did not hand out', () => {
    expect(() => snapshot.page(encodeCursor('not/an id'), 2)).toThrow(RegistryError);
  });

  it('serialises an answer once and serves the same bytes and ETag afterwards', () => {
    const build = jest.fn(() => ({ zones: { a: 'A' } }));
    const first = snapshot.render('rest 5 ', build);
    const again = snapshot.render('rest 5 ', build);
    expect(build).toHaveBeenCalledTimes(1);
    expect(again).toBe(first);
    expect(first.body.toString()).toBe('{"zones":{"a":"A"}}');
    expect(first.etag).toMatch(/^W\/"13-[A-Za-z0-9+/]{27}"$/);
  });

  it('does not keep an answer whose build failed', () => {
    const failing = () => {
      throw new Error('boom');
    };
    expect(() => snapshot.render('broken', failing)).toThrow('boom');
    expect(snapshot.render('broken', () => 1).body.toString()).toBe('1');
  });
});

describe('ZoneMapCache', () => {
  it('serves a snapshot for its version and older ones, never for a newer one', () => {
    const cache = new ZoneMapCache();
    const v2 = new ZoneMapSnapshot('b1', 2n, zones(2));
    cache.put(v2);
    expect(cache.get('b1', 2n)).toBe(v2);
    expect(cache.get('b1', 1n)).toBe(v2);
    expect(cache.get('b1', 3n)).toBeUndefined();
    expect(cache.get('b2', 1n)).toBeUndefined();
  });

  it('never replaces a newer version with an older one', () => {
    const cache = new ZoneMapCache();
    const v2 = new ZoneMapSnapshot('b1', 2n, zones(2));
    cache.put(v2);
    cache.put(new ZoneMapSnapshot('b1', 1n, zones(3)));
    expect(cache.get('b1', 2n)).toBe(v2);
    const v3 = new ZoneMapSnapshot('b1', 3n, zones(4));
    cache.put(v3);
    expect(cache.get('b1', 3n)).toBe(v3);
    expect(cache.size).toEqual({ buildings: 1, zones: 4 });
  });

  it('does not cache buildings with too many zones', () => {
    const cache = new ZoneMapCache();
    cache.put(new ZoneMapSnapshot('big', 1n, zones(MAX_CACHED_ZONES_PER_BUILDING + 1)));
    expect(cache.get('big', 1n)).toBeUndefined();
    cache.markTooLarge('big', 1n);
    expect(cache.isTooLarge('big', 1n)).toBe(true);
    expect(cache.isTooLarge('big', 2n)).toBe(false);
  });

  it('evicts the least recently used buildings beyond the zone budget', () => {
    const cache = new ZoneMapCache();
    const per = MAX_CACHED_ZONES_PER_BUILDING;
    const count = Math.floor(MAX_CACHED_ZONES / per);
    for (let i = 0; i < count; i++) cache.put(new ZoneMapSnapshot(`b${i}`, 1n, zones(per, `b${i}-`)));
    expect(cache.size).toEqual({ buildings: count, zones: count * per });
    expect(cache.get('b0', 1n)).toBeDefined(); // b0 is now the most recently used
    cache.put(new ZoneMapSnapshot('new', 1n, zones(per)));
    expect(cache.get('b1', 1n)).toBeUndefined();
    expect(cache.get('b0', 1n)).toBeDefined();
    expect(cache.get('new', 1n)).toBeDefined();
    expect(cache.size.zones).toBeLessThanOrEqual(MAX_CACHED_ZONES);
  });
});
