import { zoneIdsAt } from './forwarded-targets';

describe('the zone ids a forwarded body names', () => {
  const keys = ['zoneId', 'Incident.Zone'];

  it('reads each key path without regard to case, as the documented bodies spell them', () => {
    expect(zoneIdsAt({ zoneId: 'z1' }, keys)).toEqual(['z1']);
    expect(zoneIdsAt({ ZoneID: 'z2' }, keys)).toEqual(['z2']);
    expect(zoneIdsAt({ ZoneId: 'z3' }, keys)).toEqual(['z3']);
    expect(zoneIdsAt({ Incident: { TaskId: '1', Zone: 'z4' } }, keys)).toEqual(['z4']);
    expect(zoneIdsAt({ incident: { zone: 'z5' } }, keys)).toEqual(['z5']);
  });

  it('names each zone once, in key order', () => {
    expect(zoneIdsAt({ zoneId: 'a', Incident: { Zone: 'b' } }, keys)).toEqual(['a', 'b']);
    expect(zoneIdsAt({ zoneId: 'a', Incident: { Zone: 'a' } }, keys)).toEqual(['a']);
  });

  it('leaves out what is not a non-empty string (the owner refuses it) and paths through non-objects', () => {
    expect(zoneIdsAt({ zoneId: '' }, keys)).toEqual([]);
    expect(zoneIdsAt({ zoneId: 7 }, keys)).toEqual([]);
    expect(zoneIdsAt({ zoneId: null, ZoneID: 'z6' }, keys)).toEqual(['z6']);
    expect(zoneIdsAt({ Incident: 'z7' }, keys)).toEqual([]);
    expect(zoneIdsAt({ Incident: [{ Zone: 'z8' }] }, keys)).toEqual([]);
    expect(zoneIdsAt({}, keys)).toEqual([]);
  });
});
