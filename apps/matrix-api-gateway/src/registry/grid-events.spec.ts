import { MatrixEventV1, parseRoutingKey, validateContract } from '@matrix/contracts';
import { gridEvent } from './grid-events';
import type { Level, Zone } from './registry.types';

const building = { pid: 'b1', propId: 'p1', name: 'HQ' };
const zone: Zone = {
  insId: 'z1',
  pid: 'b1',
  lid: 'l1',
  name: 'Lobby',
  area: 120,
  floorType: null,
  beaconId: null,
  zoneCategoryId: 'LOBBY',
  tags: null,
  units: null,
  status: 'active',
  isBuildingOperatingHours: true,
  operatingHours: null,
  createdOn: new Date(1700000000000),
  updatedOn: new Date(1700000000000),
};
const level: Level = {
  lid: 'l1',
  pid: 'b1',
  name: 'Ground',
  level: 'L0',
  area: null,
  floorPlan: null,
  createdOn: new Date(0),
  updatedOn: new Date(0),
};

describe('grid events', () => {
  it('builds a documented Matrix event on matrix.<pid>.scgrids.<EVENT>.<PRIORITY>', () => {
    const event = gridEvent('ZONE_CREATED', building, { zone }, {}, new Date(1700000123000));
    expect(validateContract(MatrixEventV1, event).ok).toBe(true);
    expect(parseRoutingKey(event.RoutingKey)).toEqual({
      principal: 'b1',
      module: 'scgrids',
      eventId: 'ZONE_CREATED',
      priority: 'NORMAL',
    });
    expect(event).toMatchObject({
      Principal: 'b1',
      PType: 'building',
      Entity: 'p1',
      EType: 'property',
      Event: 'ZONE_CREATED',
      Module: 'scgrids',
      Status: 'NORMAL',
      UnixTime: '1700000123',
      UnixTimeInt: 1700000123,
      Time: 'scgrids#1700000123',
      ATTR: 'ZONE_CREATED#p1#b1#z1',
      Description: 'Zone Lobby was created in HQ.',
      Meta: {
        InsID: 'z1',
        LID: 'l1',
        PID: 'b1',
        Name: 'Lobby',
        Area: 120,
        ZoneCategoryID: 'LOBBY',
        Status: 'active',
      },
    });
  });

  it('uses the documented priority of each event and carries the old values of a modification', () => {
    expect(gridEvent('ZONE_NAME_MODIFIED', building, { zone }, { OldName: 'Hall' })).toMatchObject({
      Status: 'MEDIUM',
      Meta: { OldName: 'Hall', Name: 'Lobby' },
    });
    expect(gridEvent('ZONE_STATUS_MODIFIED', building, { zone }, { OldStatus: 'pending' }).Description).toBe(
      'Zone Lobby changed status from pending to active in HQ.',
    );
    expect(gridEvent('ZONE_REMOVED', building, { zone }).Status).toBe('HIGH');
    expect(gridEvent('LEVEL_CREATED', building, { level })).toMatchObject({
      Status: 'NORMAL',
      Meta: { LID: 'l1', Name: 'Ground', Level: 'L0' },
    });
    expect(gridEvent('LEVEL_NAME_MODIFIED', building, { level }, { OldName: 'G' }).RoutingKey).toBe(
      'matrix.b1.scgrids.LEVEL_NAME_MODIFIED.MEDIUM',
    );
  });
});
