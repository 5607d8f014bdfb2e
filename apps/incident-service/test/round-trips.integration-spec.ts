import { Test } from '@nestjs/testing';
import { Client } from 'pg';
import { Database } from '@matrix/persistence';
import { AssignmentRepository } from '../src/assignment/assignment.repository';
import { CreationActions } from '../src/incidents/creation-actions';
import { EscalationPoliciesRepository } from '../src/incidents/escalation-policies.repository';
import { EscalationSchedule } from '../src/incidents/escalation-schedule';
import { IncidentSettings } from '../src/incidents/incident-settings';
import { IncidentsRepository } from '../src/incidents/incidents.repository';
import { SeatsRepository } from '../src/seats/seats.repository';
import { TransitionActions } from '../src/incidents/transition-actions';
import { dataOf, WorkforceHarness, workforceCommand } from './workforce-harness';

/*
 * The statements (round trips to PostgreSQL, `begin` and `commit` included) one create and one transition
 * cost, counted on a connection pool of their own: the hot path of bench/workforce
 * (`scteams.createIncidentWithoutAssignee` without `End`, so the building's timeout setting is read too).
 * A change that adds a round trip to these paths fails here; one that removes one updates the number.
 * Before the policy and setting were read in one statement ahead of the insert and the timeline row
 * written alongside the outbox row, a create took 10 (11 under the documented default policy) and an
 * assign 11.
 */

const APPLICATION = 'incident-service round trips';
const ZONES = { zoneid99: { name: 'Washroom 99', categoryId: 'cat-wash' } };
const SEAT = 'p1_007';

/** `pg`'s client with the connection parameters it keeps (untyped in @types/pg). */
type Connected = Client & { connectionParameters: { application_name?: string } };

/** A statement's text, whether sent as a string or as a query config (a prepared statement). */
const textOf = (statement: unknown) =>
  typeof statement === 'string' ? statement : String((statement as { text?: string }).text);

describe('incident-service: round trips of a create and a transition', () => {
  const harness = new WorkforceHarness('round_trips');
  let counted: Database;
  let creation: CreationActions;
  let transitions: TransitionActions;
  let seq = 0;

  beforeAll(async () => {
    await harness.start();
    await harness.sql.query(
      `insert into workforce.seats (seat_id, org_id, prop_id, user_name, user_group) values ($1, 'ACME', 'p1', 'kg', 'HOUSEKEEPING')`,
      [SEAT],
    );
    // A building with a policy of its own and a changed timeout: every read of the create path finds rows.
    await harness.sql.query(
      `insert into workforce.incident_settings (pid, key, long_value, modified_by) values ('b1', 'INCIDENT_LOW_TIMEOUT', 600, 'AK1')`,
    );
    dataOf(
      await harness.call(
        workforceCommand('scteams.createEscalationPolicy', {
          EscalationPolicy: {
            Name: 'Washrooms',
            IncidentTypes: ['Washroom essentials.'],
            TargetDurations: [{ Priority: 'L', StartThreshold: 120, DueTime: 240 }],
          },
        }),
      ),
    );
    counted = Database.create({ url: harness.db.url, applicationName: APPLICATION, poolMax: 1 });
    const module = await Test.createTestingModule({
      providers: [
        AssignmentRepository,
        CreationActions,
        EscalationPoliciesRepository,
        EscalationSchedule,
        IncidentSettings,
        IncidentsRepository,
        SeatsRepository,
        TransitionActions,
        { provide: Database, useValue: counted },
      ],
    }).compile();
    creation = module.get(CreationActions);
    transitions = module.get(TransitionActions);
  }, 60_000);

  afterAll(async () => {
    await counted?.close();
    await harness.stop();
  });

  /** The statements `work` sent on the counted pool (its connection, not the service's or the harness's). */
  async function statementsOf(work: () => Promise<unknown>): Promise<string[]> {
    const spy = jest.spyOn(Client.prototype, 'query');
    try {
      await work();
      return spy.mock.calls
        .filter(
          (_, i) => (spy.mock.contexts[i] as Connected).connectionParameters.application_name === APPLICATION,
        )
        .map(([statement]) => textOf(statement).trim().split(/\s+/).slice(0, 3).join(' '));
    } finally {
      spy.mockRestore();
    }
  }

  const createBody = () => ({
    Incident: {
      Start: 1656588219 + ++seq,
      Name: 'Washroom essentials.',
      Priority: 'L',
      Tasks: [{ Name: 'Wipe mirror.' }],
      Zone: 'zoneid99',
    },
  });

  it('creates an incident (policy, timeout setting, deadline, timeline and event) in 5 statements', async () => {
    let incident: Record<string, any> = {};
    const statements = await statementsOf(async () => {
      const reply = await creation.ops['scteams.createIncidentWithoutAssignee']!(
        workforceCommand('scteams.createIncidentWithoutAssignee', createBody(), ZONES),
        new Date(),
      );
      incident = reply.data as Record<string, any>;
    });
    expect(statements).toHaveLength(5);
    const {
      rows: [row],
    } = await harness.sql.query(
      'select escalation_policy, escalate_kind, due - start_by as window from workforce.incidents where task_id = $1',
      [incident['TaskId']],
    );
    expect(row).toMatchObject({ escalate_kind: 'unassigned', window: '600' });
    expect(row.escalation_policy).not.toBe('default');
    const {
      rows: [outbox],
    } = await harness.sql.query(
      `select count(*)::int as n from workforce.outbox where payload->'Meta'->>'TaskId' = $1`,
      [incident['TaskId']],
    );
    expect(outbox.n).toBe(1);
  });

  it('creates an incident under the documented default policy and timeout in 5 statements too', async () => {
    const elsewhere = { pid: 'b9', org: 'ACME', propId: 'p1', name: 'Annex', timeZone: 'Asia/Singapore' };
    let incident: Record<string, any> = {};
    const statements = await statementsOf(async () => {
      const reply = await creation.ops['scteams.createIncidentWithoutAssignee']!(
        workforceCommand('scteams.createIncidentWithoutAssignee', createBody(), ZONES, {
          pid: 'b9',
          building: elsewhere,
        }),
        new Date(),
      );
      incident = reply.data as Record<string, any>;
    });
    expect(statements).toHaveLength(5);
    expect(incident['End'] - incident['Start']).toBe(3600);
    const {
      rows: [row],
    } = await harness.sql.query(
      'select escalation_policy, escalate_kind from workforce.incidents where task_id = $1',
      [incident['TaskId']],
    );
    expect(row).toEqual({ escalation_policy: 'default', escalate_kind: 'unassigned' });
  });

  it('assigns an incident (seat check, lock, seat held, update, deadline, timeline and event) in 9 statements', async () => {
    const created = await creation.ops['scteams.createIncidentWithoutAssignee']!(
      workforceCommand('scteams.createIncidentWithoutAssignee', createBody(), ZONES),
      new Date(),
    );
    const taskId = (created.data as Record<string, any>)['TaskId'] as string;
    const statements = await statementsOf(() =>
      transitions.ops['scteams.assignIncident']!(
        workforceCommand(
          'scteams.assignIncident',
          { IncidentId: taskId, zoneId: 'zoneid99', SeatId: SEAT, ShiftID: SEAT },
          ZONES,
        ),
        new Date(),
      ),
    );
    expect(statements).toHaveLength(9);
    const {
      rows: [row],
    } = await harness.sql.query('select status, escalate_kind from workforce.incidents where task_id = $1', [
      taskId,
    ]);
    expect(row).toEqual({ status: 'ASSIGNED', escalate_kind: 'startTime' });
  });
});
