import type { ForwardedActionModule } from './action-modules';
import { zoneIdsAt } from './forwarded-targets';
import { WORKFORCE_ACTIONS } from '../app.module';

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

  it('reads every element of a list (`[]`), every value of a map (`*`) and the keys of a map (`{}`)', () => {
    const paths = [
      'Schedule[].shift.Zones{}',
      'Schedule[].taskGroup[].Zone',
      'SeatAvailabilityZones.Zones.*{}',
    ];
    expect(
      zoneIdsAt(
        {
          schedule: [
            { Shift: { Zones: { z1: 'Room 1', z2: 'Room 2' } }, taskGroup: [{ Zone: 'z3' }, { zone: 'z1' }] },
            { shift: { Zones: {} }, taskGroup: 'not a list' },
            'not an object',
          ],
          SeatAvailabilityZones: { Zones: { building1: { z4: 'Room 4' }, building2: 'not a map' } },
        },
        paths,
      ),
    ).toEqual(['z1', 'z2', 'z3', 'z4']);
    expect(zoneIdsAt({ Schedule: { shift: { Zones: { z1: 'x' } } } }, paths)).toEqual([]);
    expect(zoneIdsAt({ Schedule: [{ shift: { Zones: ['z1'] } }] }, paths)).toEqual([]);
  });
});

describe('the zone keys of the workforce module', () => {
  it('resolve the zones of the documented requestRegularization body, in TimeSheet.Zones and at the top level', () => {
    // The Matrix documentation, Appendix A, `scteams.requestRegularization` (example, and the field as documented).
    const example = {
      TimeSheet: {
        SeatId: 'ORG1_SEAT_0002',
        ShiftId: '4638b8f3-c422-465f-8ec2-dc3d73119823',
        ReasonForRegularization: 'Forgot to punch out',
        Breaks: [
          { End: 1605149600, Notes: 'Afternoon lunch break.', Start: 1605149200, Type: 'meal', ID: '0001' },
        ],
      },
      Zones: { zoneID1: 'ZoneName1', zoneID2: 'ZoneName2' },
    };
    const keys = (WORKFORCE_ACTIONS as ForwardedActionModule).resolve?.zoneKeys ?? [];
    expect(zoneIdsAt(example, keys)).toEqual(['zoneID1', 'zoneID2']);
    const documentedField = { TimeSheet: { ...example.TimeSheet, Zones: { zoneID3: 'ZoneName3' } } };
    expect(zoneIdsAt(documentedField, keys)).toEqual(['zoneID3']);
  });
});
