import { CredentialsService } from '../src/credentials/credentials.service';
import {
  SQL_SINK_COMMANDS,
  type SetSqlSinkRequestV1,
  type SqlSinkRequestV1,
  type SqlSinkStatusV1,
} from '@matrix/contracts';
import { CommandBus, CommandError } from '@matrix/messaging';
import { expectProblem } from '@matrix/testing';
import { GatewayHarness, type Keys } from './gateway-harness';

/*
 * REST v1 `/v1/properties/{propId}/sql-sink`: set (201 new, 200 replaced), show and remove as a property
 * admin, forwarded as `sql.sink.{set,show,remove}.v1` to a stand-in for sql-projector on the real NATS
 * (sql-projector's own handlers are tested in its app); read-only keys (403), other tenants (404) and bad
 * bodies (400) refused with nothing sent; sql-projector's refusals mapped; no answer → 503. No answer
 * body ever holds the password, even when the stand-in answers one back.
 */

const silentLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

const PASSWORD = 'Tr0ub4dor-and-3';
const URL_A = `postgres://copy:${PASSWORD}@db-a.example:5432/matrix?sslmode=require`;
const URL_B = `postgresql://copy:${PASSWORD}@db-b.example/warehouse`;

const gw = new GatewayHarness('sql-sinks-rest');
let admin: Keys & { propid: string; org: string };
let reader: Keys;
let foreign: Keys & { propid: string };
let projector: CommandBus | undefined;

/** What the stand-in was asked, in order. */
const received: { verb: 'set' | 'show' | 'remove'; request: SqlSinkRequestV1 }[] = [];
const sinks = new Map<string, SqlSinkStatusV1>();
/** Answer targets and errors with the password in them (a misbehaving sql-projector). */
let leaky = false;
/** The stand-in's next answer is this refusal. */
let refuseNext: CommandError | undefined;
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
let tick = T0;

const stripped = (url: string) => url.replace(`:${PASSWORD}@`, '@');
const path = (propId = admin.propid) => `/v1/properties/${propId}/sql-sink`;

function refusal(): void {
  const error = refuseNext;
  refuseNext = undefined;
  if (error) throw error;
}

function set(request: SetSqlSinkRequestV1): SqlSinkStatusV1 {
  received.push({ verb: 'set', request });
  refusal();
  const now = new Date((tick += 1000)).toISOString();
  const before = sinks.get(request.propId);
  const target = leaky ? request.connectionString : stripped(request.connectionString);
  const sink: SqlSinkStatusV1 = {
    propId: request.propId,
    target,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
    state: 'pending',
    sensorData: { copiedThrough: 0, projectedThrough: 40 },
    events: { copiedThrough: 0, projectedThrough: 7 },
    lagSeconds: null,
    lastCopyAt: null,
    lastError: leaky ? `could not connect to ${request.connectionString}` : null,
    lastErrorAt: leaky ? now : null,
    nextAttemptAt: null,
  };
  sinks.set(request.propId, sink);
  return leaky ? ({ ...sink, connectionString: request.connectionString } as SqlSinkStatusV1) : sink;
}

function existing(verb: 'show' | 'remove', request: SqlSinkRequestV1): SqlSinkStatusV1 {
  received.push({ verb, request });
  refusal();
  const sink = sinks.get(request.propId);
  if (!sink) throw new CommandError('NOT_FOUND', `property ${request.propId} has no sink`);
  return sink;
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  reader = await gw.app
    .get(CredentialsService)
    .create({ orgId: admin.org, propId: admin.propid, role: 'read' });
  foreign = await gw.bootstrap('Globex', 'Globex Campus');
  projector = new CommandBus(gw.nats, silentLogger as never);
  projector.serve(SQL_SINK_COMMANDS.set, async (request) => set(request));
  projector.serve(SQL_SINK_COMMANDS.show, async (request) => existing('show', request));
  projector.serve(SQL_SINK_COMMANDS.remove, async (request) => {
    const sink = existing('remove', request);
    sinks.delete(request.propId);
    return { propId: sink.propId, target: sink.target };
  });
  await gw.nats.nc.flush();
}, 60_000);

beforeEach(() => {
  received.length = 0;
  sinks.clear();
  leaky = false;
  refuseNext = undefined;
  tick = T0;
});

afterAll(async () => {
  await projector?.stop();
  await gw.stop();
});

describe('the customer-hosted SQL sink over REST v1', () => {
  it('sets (201), shows, replaces (200) and removes the property’s sink as its admin', async () => {
    const created = await gw.rest(admin, 'PUT', path(), { connectionString: URL_A });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      propId: admin.propid,
      target: 'postgres://copy@db-a.example:5432/matrix?sslmode=require',
      createdAt: '2026-12-01T10:00:01.000Z',
      updatedAt: '2026-12-01T10:00:01.000Z',
      state: 'pending',
      sensorData: { copiedThrough: 0, projectedThrough: 40 },
      events: { copiedThrough: 0, projectedThrough: 7 },
      lagSeconds: null,
      lastCopyAt: null,
      lastError: null,
      lastErrorAt: null,
      nextAttemptAt: null,
    });
    // The connection string reaches sql-projector whole: it is the one that needs the password.
    expect(received).toEqual([{ verb: 'set', request: { propId: admin.propid, connectionString: URL_A } }]);

    const shown = await gw.rest(admin, 'GET', path());
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual(created.body);

    const replaced = await gw.rest(admin, 'PUT', path(), { connectionString: URL_B });
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({
      target: 'postgresql://copy@db-b.example/warehouse',
      createdAt: '2026-12-01T10:00:01.000Z',
      updatedAt: '2026-12-01T10:00:02.000Z',
    });

    const removed = await gw.rest(admin, 'DELETE', path());
    expect(removed.status).toBe(204);
    expect(removed.body).toBeUndefined();
    const gone = await gw.rest(admin, 'GET', path());
    expect(gone.status).toBe(404);
    expectProblem(gone, 'GET after DELETE');
    expect(gone.body.detail).toBe(`property ${admin.propid} has no SQL sink`);
    expect((await gw.rest(admin, 'DELETE', path())).status).toBe(404);
    expect(received.map(({ verb }) => verb)).toEqual(['set', 'show', 'set', 'remove', 'show', 'remove']);
  });

  it('refuses a read-only key (403) and another tenant’s property (404), sending nothing', async () => {
    for (const [method, body] of [
      ['PUT', { connectionString: URL_A }],
      ['GET', undefined],
      ['DELETE', undefined],
    ] as const) {
      const read = await gw.rest(reader, method, path(), body);
      expect({ method, status: read.status }).toEqual({ method, status: 403 });
      const theirs = await gw.rest(admin, method, path(foreign.propid), body);
      expect({ method, status: theirs.status }).toEqual({ method, status: 404 });
      expect(theirs.body.detail).toBe(`property ${foreign.propid} not found`);
      const ours = await gw.rest(foreign, method, path(), body);
      expect({ method, status: ours.status }).toEqual({ method, status: 404 });
    }
    expect(received).toEqual([]);
  });

  it('refuses a body without a valid connectionString with 400 naming it, sending nothing', async () => {
    const cases: [unknown, string[]][] = [
      [
        { connectionString: `mysql://copy:${PASSWORD}@db/matrix` },
        ['connectionString: must be postgres://[user[:password]@]host[:port]/database[?parameters]'],
      ],
      [
        { connectionString: `postgres://copy:${PASSWORD}@db-a.example` },
        [expect.stringMatching(/^connectionString: must be postgres/)],
      ],
      [{ connectionString: '' }, ['connectionString: must be a non-empty string']],
      [
        { ConnectionString: URL_A },
        ['ConnectionString: is not a known field', 'connectionString: must be a non-empty string'],
      ],
      [{ connectionString: URL_A, sslmode: 'require' }, ['sslmode: is not a known field']],
      ['null', ['body: must be a JSON object']],
      [[URL_A], ['body: must be a JSON object']],
    ];
    for (const [body, errors] of cases) {
      const answer = await gw.rest(admin, 'PUT', path(), body);
      expect({ body, status: answer.status, errors: answer.body.errors }).toEqual({
        body,
        status: 400,
        errors,
      });
      expectProblem(answer, JSON.stringify(body));
      expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
    }
    expect((await gw.rest(admin, 'PUT', path())).body.errors).toEqual(['body: must be a JSON object']);
    expect(received).toEqual([]);
  });

  it('never answers the password, even when sql-projector’s reply carries it', async () => {
    leaky = true;
    const answers = [
      await gw.rest(admin, 'PUT', path(), { connectionString: URL_A }),
      await gw.rest(admin, 'GET', path()),
      await gw.rest(admin, 'PUT', path(), { connectionString: URL_B }),
      await gw.rest(admin, 'GET', path()),
    ];
    expect(answers.map((a) => a.status)).toEqual([201, 200, 200, 200]);
    for (const answer of answers) {
      expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
      expect(answer.body).not.toHaveProperty('connectionString');
    }
    expect(answers[3]!.body).toMatchObject({
      target: 'postgresql://copy@db-b.example/warehouse',
      lastError: 'could not connect to postgresql://copy@db-b.example/warehouse',
    });
  });

  it('answers sql-projector’s refusals: INVALID_REQUEST 400, UNAVAILABLE 503 without Retry-After, INTERNAL 503', async () => {
    refuseNext = new CommandError(
      'INVALID_REQUEST',
      `connectionString: host of postgres://copy:${PASSWORD}@db is refused`,
    );
    const invalid = await gw.rest(admin, 'PUT', path(), { connectionString: URL_A });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors).toEqual(['connectionString: host of postgres://copy@db is refused']);

    refuseNext = new CommandError('UNAVAILABLE', 'MATRIX_SECRET_KEY is not set');
    const unsealed = await gw.rest(admin, 'PUT', path(), { connectionString: URL_A });
    expect(unsealed.status).toBe(503);
    expect(unsealed.headers.get('retry-after')).toBeNull();
    expect(unsealed.body.detail).toContain('no key to seal them with');

    refuseNext = new CommandError('INTERNAL', 'internal error');
    const broken = await gw.rest(admin, 'GET', path());
    expect(broken.status).toBe(503);
    expect(broken.headers.get('retry-after')).toBe('5');
    expect(broken.body.detail).toBe('sql-projector could not show the SQL sink (INTERNAL); try again');
    expect(sinks.size).toBe(0);
  });

  it('answers 503 naming sql-projector when nothing answers', async () => {
    await projector?.stop();
    projector = undefined;
    for (const [method, body] of [
      ['PUT', { connectionString: URL_A }],
      ['GET', undefined],
      ['DELETE', undefined],
    ] as const) {
      const answer = await gw.rest(admin, method, path(), body);
      expect({ method, status: answer.status }).toEqual({ method, status: 503 });
      expect(answer.headers.get('retry-after')).toBe('5');
      expect(answer.body.detail).toBe('sql-projector did not answer (it keeps the SQL sinks); try again');
      expect(JSON.stringify(answer.body)).not.toContain(PASSWORD);
    }
  });
});
