import { parseRoutingKey, routingKeyOf } from './routing-key';

describe('routing keys', () => {
  it('builds matrix.<principal>.<module>.<eventid>.<priority> (reference §2.2)', () => {
    expect(
      routingKeyOf({
        principal: 'mybuildingid',
        module: 'scworkforcemanagement',
        eventId: 'INCIDENT_CREATED',
        priority: 'HIGH',
      }),
    ).toBe('matrix.mybuildingid.scworkforcemanagement.INCIDENT_CREATED.HIGH');
  });

  it('parses a documented key', () => {
    expect(parseRoutingKey('matrix.45ea1d38.scgrids.ZONE_CREATED.NORMAL')).toEqual({
      principal: '45ea1d38',
      module: 'scgrids',
      eventId: 'ZONE_CREATED',
      priority: 'NORMAL',
    });
  });

  it.each([
    { principal: 'b.1', module: 'scaudits', eventId: 'AUDIT_COMPLETED', priority: 'HIGH' },
    { principal: 'Tower #2 > East', module: 'sc*', eventId: 'X', priority: 'LOW' },
    { principal: '', module: 'm', eventId: 'E', priority: 'P' },
  ])('round-trips $principal through a five-token key', (parts) => {
    const key = routingKeyOf(parts);
    expect(key.split('.')).toHaveLength(5);
    expect(key).not.toMatch(/[*> ]/);
    expect(parseRoutingKey(key)).toEqual(parts);
  });

  it.each(['matrix.a.b.c', 'matrix.a.b.c.d.e', 'other.a.b.c.d', 'matrix..b.c.d', 'matrix.a~ZZ.b.c.d', ''])(
    'refuses %p',
    (key) => {
      expect(() => parseRoutingKey(key)).toThrow(/is not a routing key|is not an encoded subject token/);
    },
  );
});
