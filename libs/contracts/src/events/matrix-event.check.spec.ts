import { COMMON_PROBES } from '../shared/probes';
import { validateContract } from '../shared/validation';
import { validateMatrixEvent } from './matrix-event.check';
import { buildMatrixEvent, MatrixEventV1 } from './matrix-event.v1';

const event = {
  ...buildMatrixEvent({
    principal: 'B1',
    principalType: 'building',
    entity: 'P1',
    entityType: 'property',
    module: 'scgrids',
    eventId: 'ZONE_CREATED',
    priority: 'NORMAL',
    description: 'Zone created',
    occurredAt: new Date('2026-06-01T10:00:00Z'),
    meta: { ZoneId: 'z1' },
  }),
  ATTR: 'extra',
};

/** Values that probe every constraint: the common ones, and patterns and allowed sets of events. */
const PROBES: unknown[] = [
  ...COMMON_PROBES,
  'B1',
  'ZONE_CREATED',
  'zone_created',
  'matrix.B1.scgrids.ZONE_CREATED.NORMAL',
  'matrix.B1.scgrids.ZONE_CREATED',
  'matrix..scgrids.ZONE_CREATED.NORMAL',
  'NORMAL',
  'HIGH',
  'URGENT',
  '1780000000',
  '-1',
  '1.5',
  'building',
  'organisation',
  'floor',
  1780000000,
  { a: 1 },
  ['matrix', 'B1'],
  ['matrix', 1],
];

describe('validateMatrixEvent', () => {
  it('accepts and refuses exactly what MatrixEventV1 does, and takes the fast path for a valid event', () => {
    const fast = validateMatrixEvent(event);
    expect(fast).toEqual({ ok: true, value: event });
    expect(fast.ok && fast.value).toBe(event);
    let checked = 0;
    for (const field of Object.keys(event)) {
      for (const probe of PROBES) {
        const input: Record<string, unknown> = { ...event, [field]: probe };
        if (probe === undefined) delete input[field];
        const contract = validateContract(MatrixEventV1, input).ok;
        expect({ field, probe, ok: validateMatrixEvent(input).ok }).toEqual({ field, probe, ok: contract });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(400);
    for (const input of [null, 'event', 1, [], [event]]) expect(validateMatrixEvent(input).ok).toBe(false);
  });

  it('gives the contract’s error messages for an invalid event', () => {
    expect(validateMatrixEvent({ ...event, Status: 'URGENT' })).toEqual({
      ok: false,
      errors: [expect.stringMatching(/^Status: must be one of the following values/)],
    });
  });
});
