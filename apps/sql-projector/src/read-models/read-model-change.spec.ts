import { buildMatrixEvent } from '@matrix/contracts';
import { newestChanges, readModelChanges, type ReadModelChange } from './read-model-change';
import { INCIDENTS, versionedUpsert, ZONES } from './read-model-tables';

const place = { pid: 'b1', propId: 'p1' };
const gridEvent = (eventId: string, meta: Record<string, unknown>) =>
  buildMatrixEvent({
    principal: 'b1',
    module: 'scgrids',
    eventId,
    priority: 'NORMAL',
    description: 'd',
    occurredAt: new Date('2025-12-01T00:00:00Z'),
    meta,
  });

const change = (time: string, seq: number, extra: Record<string, unknown> = {}): ReadModelChange => ({
  table: 'incidents',
  key: 'b1\nt1',
  row: { event_time: time, event_seq: seq, created_at: time, ...extra },
});

describe('readModelChanges', () => {
  it('ignores events no read model follows', () => {
    expect(readModelChanges(gridEvent('AUDIT_STARTED', {}), 1, place)).toEqual({ ok: true, changes: [] });
  });

  it('names the Meta field that is wrong', () => {
    expect(
      readModelChanges(gridEvent('ZONE_CREATED', { InsID: 'z', Name: 'n', Area: 'big' }), 1, place),
    ).toEqual({
      ok: false,
      error: 'Meta.Area: must be a number',
    });
    expect(readModelChanges(gridEvent('LEVEL_CREATED', { Name: 'n' }), 1, place)).toEqual({
      ok: false,
      error: 'Meta.LID: must be a non-empty string',
    });
  });

  it('refuses a followed event that names no building', () => {
    const result = readModelChanges(gridEvent('ZONE_CREATED', { InsID: 'z', Name: 'n' }), 1, {
      pid: null,
      propId: 'p1',
    });
    expect(result.ok).toBe(false);
  });

  it('marks a removed zone with the time of its removal', () => {
    const result = readModelChanges(gridEvent('ZONE_REMOVED', { InsID: 'z', Name: 'n' }), 7, place);
    expect(result.ok && result.changes[0]!.row).toMatchObject({
      pid: 'b1',
      prop_id: 'p1',
      insid: 'z',
      removed: true,
      removed_at: '2025-12-01T00:00:00.000Z',
      event_seq: 7,
    });
  });
});

describe('newestChanges', () => {
  it('keeps the newest change of a row, by time then sequence, with the earliest creation', () => {
    const reduced = newestChanges([
      change('2025-12-01T00:00:05.000Z', 3, { status: 'STARTED' }),
      change('2025-12-01T00:00:05.000Z', 9, { status: 'COMPLETED' }),
      change('2025-12-01T00:00:00.000Z', 12, { status: 'NOT_ASSIGNED' }),
    ]);
    expect(reduced).toHaveLength(1);
    expect(reduced[0]!.row).toMatchObject({
      status: 'COMPLETED',
      event_seq: 9,
      created_at: '2025-12-01T00:00:00.000Z',
    });
  });
});

describe('versionedUpsert', () => {
  it('updates a row only when the change is newer', () => {
    expect(versionedUpsert(ZONES)).toContain(
      'where (matrix.zones.event_time, matrix.zones.event_seq) < (excluded.event_time, excluded.event_seq)',
    );
  });

  it('lowers an earliest column whichever change is newer', () => {
    const text = versionedUpsert(INCIDENTS);
    expect(text).toContain('created_at = least(matrix.incidents.created_at, excluded.created_at)');
    expect(text).toContain('or excluded.created_at < matrix.incidents.created_at');
  });
});
