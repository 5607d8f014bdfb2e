import { buildMatrixEvent, type PrincipalEntry } from '@matrix/contracts';
import { eventMsgId, eventPlace, eventProblem, matrixEventRow } from './matrix-event-row';

const base = {
  principal: 'b1',
  module: 'scworkforcemanagement',
  eventId: 'TASK_COMPLETED',
  priority: 'NORMAL' as const,
  description: 'done',
  occurredAt: new Date('2025-12-01T00:00:07Z'),
  meta: {},
};
const directory: Record<string, PrincipalEntry> = {
  b1: { type: 'building', org: 'o1', property: 'p-dir' },
  p9: { type: 'property', org: 'o1', property: 'p9' },
};
const lookup = (key: string) => directory[key];

describe('eventPlace', () => {
  it('takes building and property from the event first', () => {
    const event = buildMatrixEvent({
      ...base,
      principalType: 'building',
      entity: 'p-own',
      entityType: 'property',
    });
    expect(eventPlace(event, lookup)).toEqual({ pid: 'b1', propId: 'p-own' });
  });

  it('asks the directory for what the event does not say', () => {
    expect(eventPlace(buildMatrixEvent(base), lookup)).toEqual({ pid: 'b1', propId: 'p-dir' });
    expect(eventPlace(buildMatrixEvent({ ...base, principal: 'p9' }), lookup)).toEqual({
      pid: null,
      propId: 'p9',
    });
  });

  it('takes Meta.PropId, and leaves both null when nothing tells', () => {
    const meta = buildMatrixEvent({
      ...base,
      principal: 'org-1',
      principalType: 'organisation',
      meta: { PropId: 'p3' },
    });
    expect(eventPlace(meta, lookup)).toEqual({ pid: null, propId: 'p3' });
    expect(eventPlace(buildMatrixEvent({ ...base, principal: 'unknown' }), lookup)).toEqual({
      pid: null,
      propId: null,
    });
  });
});

describe('eventProblem and the row', () => {
  it('refuses a routing key that disagrees with the fields', () => {
    const event = { ...buildMatrixEvent(base), Module: 'scgrids' };
    expect(eventProblem(event)).toBe(
      `Module: "scgrids" differs from the routing key's "scworkforcemanagement"`,
    );
    expect(eventProblem(buildMatrixEvent(base))).toBeUndefined();
  });

  it('keys a message without Nats-Msg-Id by its subject and bytes', () => {
    const raw = new TextEncoder().encode('{}');
    expect(eventMsgId('outbox:t:1', 's', raw)).toBe('outbox:t:1');
    expect(eventMsgId(undefined, 's', raw)).toBe(eventMsgId(undefined, 's', raw));
    expect(eventMsgId(undefined, 's', raw)).not.toBe(eventMsgId(undefined, 't', raw));
  });

  it('stamps the row with the event time in UTC', () => {
    const row = matrixEventRow('m', 3, buildMatrixEvent(base), { pid: 'b1', propId: null });
    expect(row.time).toBe('2025-12-01T00:00:07.000Z');
    expect(row.stream_seq).toBe(3);
  });
});
