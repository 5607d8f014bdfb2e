import { stableStringify } from '../shared/stable-json';
import { readingId } from './reading-id';

/*
 * Reading ids are persistent: they key SENSOR_DATA dedup and the SQL rows, so a point posted again after
 * an upgrade must get the id it got before. These values were computed by the first implementation.
 */
const point = {
  DEVID: 'dev.1',
  DevType: 'SMARTCLEAN#FD',
  unixT: 1654063185904,
  v: {
    rating: 2,
    reasons: { a: { ID: 1, Name: 'Ünïcode "q"', selector: [1, null, { z: 1, a: undefined }] } },
    n: -0.5,
  },
  Region: 'Europe/Berlin',
  x: undefined,
  e: [],
};

describe('readingId', () => {
  it('is the id the first implementation gave (stable across releases)', () => {
    expect(stableStringify(point)).toBe(
      '{"DEVID":"dev.1","DevType":"SMARTCLEAN#FD","Region":"Europe/Berlin","e":[],"unixT":1654063185904,"v":{"n":-0.5,"rating":2,"reasons":{"a":{"ID":1,"Name":"Ünïcode \\"q\\"","selector":[1,null,{"z":1}]}}}}',
    );
    expect(readingId('SMARTCLEAN', 'dev.1', 1654063185904, point)).toBe(
      '84f1d46bcf3d65dbfb3aab19d1553ae6d1136154',
    );
  });

  it('does not depend on key order, and differs for another value', () => {
    const reordered = Object.fromEntries(Object.entries(point).reverse());
    expect(readingId('SMARTCLEAN', 'dev.1', 1654063185904, reordered)).toBe(
      readingId('SMARTCLEAN', 'dev.1', 1654063185904, point),
    );
    expect(readingId('SMARTCLEAN', 'dev.1', 1654063185904, { ...point, v: { rating: 3 } })).not.toBe(
      readingId('SMARTCLEAN', 'dev.1', 1654063185904, point),
    );
  });
});
