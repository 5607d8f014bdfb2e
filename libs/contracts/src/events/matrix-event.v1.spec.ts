import { validateContract } from '../shared/validation';
import { defaultPriorityOf } from './matrix-event-ids';
import { buildMatrixEvent, MatrixEventV1, type NewMatrixEvent } from './matrix-event.v1';
import { parseRoutingKey } from './routing-key';

const incident: NewMatrixEvent = {
  principal: '45ea1d38775046dbbdc955362b8834b1',
  principalType: 'building',
  entity: 'd2ff1cc0ee104abba3a8ba030c72cd06',
  entityType: 'property',
  module: 'scworkforcemanagement',
  eventId: 'INCIDENT_CREATED',
  priority: 'HIGH',
  description: 'People count above 50 in Toilet L1',
  occurredAt: new Date(1654063185904),
  meta: { TaskId: '1686793261034749182', Type: 'INCIDENT', Status: 'NOT_ASSIGNED' },
};

describe('buildMatrixEvent', () => {
  it('fills in the documented general data format (reference §2.4)', () => {
    expect(buildMatrixEvent(incident)).toEqual({
      ID: '45ea1d38775046dbbdc955362b8834b1',
      Principal: '45ea1d38775046dbbdc955362b8834b1',
      PType: 'building',
      Entity: 'd2ff1cc0ee104abba3a8ba030c72cd06',
      EType: 'property',
      Description: 'People count above 50 in Toilet L1',
      Event: 'INCIDENT_CREATED',
      RoutingKey: 'matrix.45ea1d38775046dbbdc955362b8834b1.scworkforcemanagement.INCIDENT_CREATED.HIGH',
      RoutingKeyS: [
        'matrix',
        '45ea1d38775046dbbdc955362b8834b1',
        'scworkforcemanagement',
        'INCIDENT_CREATED',
        'HIGH',
      ],
      Module: 'scworkforcemanagement',
      Status: 'HIGH',
      Time: 'scworkforcemanagement#1654063185',
      UnixTime: '1654063185',
      UnixTimeInt: 1654063185,
      Meta: { TaskId: '1686793261034749182', Type: 'INCIDENT', Status: 'NOT_ASSIGNED' },
    });
  });

  it('leaves the optional principal and entity types out when not given', () => {
    const { principalType: _p, entity: _e, entityType: _t, ...minimal } = incident;
    const event = buildMatrixEvent(minimal);
    expect(Object.keys(event)).not.toEqual(expect.arrayContaining(['PType']));
    expect(event).not.toHaveProperty('Entity');
    expect(event).not.toHaveProperty('EType');
  });

  it('produces an event that passes its own contract after a JSON round trip', () => {
    const result = validateContract(MatrixEventV1, JSON.parse(JSON.stringify(buildMatrixEvent(incident))));
    if (!result.ok) throw new Error(result.errors.join('; '));
    expect(result.value.RoutingKey).toBe(buildMatrixEvent(incident).RoutingKey);
  });

  it('keeps the routing-key fields in agreement with the key for ids that need escaping', () => {
    const event = buildMatrixEvent({ ...incident, principal: 'bldg.7 east' });
    expect(parseRoutingKey(event.RoutingKey)).toEqual({
      principal: event.Principal,
      module: event.Module,
      eventId: event.Event,
      priority: event.Status,
    });
    expect(event.RoutingKeyS).toEqual([
      'matrix',
      'bldg.7 east',
      'scworkforcemanagement',
      'INCIDENT_CREATED',
      'HIGH',
    ]);
    expect(validateContract(MatrixEventV1, event).ok).toBe(true);
  });

  it('rejects an event whose priority is not a documented one', () => {
    const result = validateContract(MatrixEventV1, { ...buildMatrixEvent(incident), Status: 'URGENT' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.some((error) => error.startsWith('Status: '))).toBe(true);
  });
});

describe('defaultPriorityOf', () => {
  it('knows the documented priorities and the NEW_INCIDENT_CREATED_OPEN alias', () => {
    expect(defaultPriorityOf('scworkforcemanagement', 'SHIFT_DELAYED')).toBe('MEDIUM');
    expect(defaultPriorityOf('scworkforcemanagement', 'NEW_INCIDENT_CREATED_OPEN')).toBe('HIGH');
    expect(defaultPriorityOf('scgrids', 'NOT_AN_EVENT')).toBeUndefined();
    expect(defaultPriorityOf('nomodule', 'ZONE_CREATED')).toBeUndefined();
  });
});
