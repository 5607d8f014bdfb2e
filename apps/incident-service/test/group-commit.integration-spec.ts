import { expectEventually } from '@matrix/testing';
import { EscalationPoliciesRepository } from '../src/incidents/escalation-policies.repository';
import { IncidentsRepository, type NewIncident } from '../src/incidents/incidents.repository';
import { SeatNotActiveError } from '../src/seats/seats.repository';
import { WorkforceHarness } from './workforce-harness';

/** Creates that arrive together share one transaction (group commit), and never one another's failure. */
describe('incident-service: concurrent creates are committed together', () => {
  const harness = new WorkforceHarness('group-commit');
  let incidents: IncidentsRepository;
  let policies: EscalationPoliciesRepository;

  beforeAll(async () => {
    await harness.start();
    incidents = harness.app.get(IncidentsRepository);
    policies = harness.app.get(EscalationPoliciesRepository);
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group, status)
       values ('p1_001', 'ACME', 'p1', 'kg', 'HOUSEKEEPING', 'ACTIVE'), ('p1_002', 'ACME', 'p1', 'ex', 'HOUSEKEEPING', 'INACTIVE')`,
    );
  }, 60_000);
  afterAll(() => harness.stop());

  const incident = (name: string, extra: Partial<NewIncident> = {}): NewIncident => ({
    org: 'ACME',
    propId: 'p1',
    pid: 'b1',
    zoneId: 'zone7',
    zoneName: 'Pantry',
    zoneCategoryId: null,
    name,
    priority: 'N',
    startBy: 1_700_000_000,
    due: 1_700_001_800,
    bySource: null,
    eventSource: null,
    autoAssigned: false,
    tasks: [{ Name: 'Wipe' }],
    requestKey: `key-${name}`,
    createdBy: 'AK1',
    ...extra,
  });
  const eventsOf = (taskId: string) => harness.events.filter((e) => e.event.Meta['TaskId'] === taskId);

  it('commits the creates that queue behind one in flight as one transaction, each answered and evented once', async () => {
    const { policy } = await policies.forNewIncident('b1', 'batch', 'INCIDENT_NORMAL_TIMEOUT');
    const now = new Date('2023-11-14T22:13:20Z');
    // Submitted in one tick: the first starts alone, the other nine wait for it and go together.
    const names = Array.from({ length: 10 }, (_, i) => `batch-${i}`);
    const results = await Promise.all(names.map((name) => incidents.create(incident(name), policy, now)));
    expect(results.map((r) => [r.incident.name, r.created])).toEqual(names.map((name) => [name, true]));

    const { rows } = await harness.sql.query<{ name: string; tx: string }>(
      `select name, xmin::text as tx from workforce.incidents where name like 'batch-%' order by name`,
    );
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(new Set(rows.slice(1).map((r) => r.tx)).size).toBe(1);
    expect(rows[0]!.tx).not.toBe(rows[1]!.tx);

    await expectEventually(() => {
      for (const { incident: row } of results) expect(eventsOf(row.task_id)).toHaveLength(1);
    });
    // In commit order: the outbox handed out ids in the order of the batch.
    const order = harness.events
      .filter((e) => String(e.event.Meta['Name']).startsWith('batch-'))
      .map((e) => e.event.Meta['Name']);
    expect(order).toEqual(names);
  });

  it("answers a repeated request in the same batch with the first one's incident, created once", async () => {
    const { policy } = await policies.forNewIncident('b1', 'twice', 'INCIDENT_NORMAL_TIMEOUT');
    const now = new Date('2023-11-14T22:13:20Z');
    const [first, ...rest] = await Promise.all([
      incidents.create(incident('lead'), policy, now),
      incidents.create(incident('twice'), policy, now),
      incidents.create(incident('twice'), policy, now),
    ]);
    expect(first!.created).toBe(true);
    expect(rest.map((r) => r.created)).toEqual([true, false]);
    expect(rest[1]!.incident.task_id).toBe(rest[0]!.incident.task_id);
    await expectEventually(() => expect(eventsOf(rest[0]!.incident.task_id)).toHaveLength(1));
    const { rows } = await harness.sql.query(
      `select count(*)::int as n from workforce.incidents where name = 'twice'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('refuses only the create that cannot be done when its batch fails, and commits the others', async () => {
    const { policy } = await policies.forNewIncident('b1', 'mixed', 'INCIDENT_NORMAL_TIMEOUT');
    const now = new Date('2023-11-14T22:13:20Z');
    const assignedTo = (seatId: string) => ({ assignedTo: { seatId, shiftId: seatId } });
    const outcomes = await Promise.all(
      [
        incident('mixed-lead'),
        incident('mixed-1'),
        incident('mixed-inactive-seat', assignedTo('p1_002')),
        incident('mixed-2', assignedTo('p1_001')),
      ].map((input) =>
        incidents.create(input, policy, now).then(
          (r) => r.incident.status,
          (error: Error) => error,
        ),
      ),
    );
    expect(outcomes.slice(0, 2)).toEqual(['NOT_ASSIGNED', 'NOT_ASSIGNED']);
    expect(outcomes[2]).toBeInstanceOf(SeatNotActiveError);
    expect(outcomes[3]).toBe('ASSIGNED');
    const { rows } = await harness.sql.query<{ name: string }>(
      `select name from workforce.incidents where name like 'mixed-%' order by name`,
    );
    expect(rows.map((r) => r.name)).toEqual(['mixed-1', 'mixed-2', 'mixed-lead']);
    // The outbox holds one event for each committed create, none for the refused one.
    const { rows: outbox } = await harness.sql.query<{ name: string }>(
      `select payload->'Meta'->>'Name' as name from workforce.outbox
       where payload->'Meta'->>'Name' like 'mixed-%' order by 1`,
    );
    expect(outbox.map((r) => r.name)).toEqual(['mixed-1', 'mixed-2', 'mixed-lead']);
    await expectEventually(() =>
      expect(
        harness.events
          .filter((e) => String(e.event.Meta['Name']).startsWith('mixed-'))
          .map((e) => e.event.Meta['Name'])
          .sort(),
      ).toEqual(['mixed-1', 'mixed-2', 'mixed-lead']),
    );
  });
});
