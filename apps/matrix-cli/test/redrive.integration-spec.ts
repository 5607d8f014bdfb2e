import { HEADER, type RejectedReading } from '@matrix/contracts';
import {
  deleteTopology,
  JetStreamPublisher,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionTopology,
} from '@matrix/messaging';
import { expectEventually, testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { redrive } from '../src/redrive/redrive.command';

/*
 * The command against the real nats-server, on rejections written as sensor-normaliser writes them
 * (the normaliser itself is in apps/sensor-normaliser/test/enrichment.integration-spec.ts).
 */

let client: NatsClient;
let publisher: JetStreamPublisher;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const namespace = uniqueNamespace('cli_redrive');
  env = { NATS_URL: testNatsUrl(), NATS_NAMESPACE: namespace };
  client = await new NatsClient({ servers: [testNatsUrl()], name: 'test-cli-redrive', namespace }).connect();
  await provisionTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace);
  publisher = new JetStreamPublisher(client);
});
afterAll(async () => {
  await deleteTopology(client.jsm, MATRIX_TOPOLOGY, client.namespace);
  await client.drain();
});

const point = (devid: string, count: number) => ({
  DEVID: devid,
  DevType: 'SMARTCLEAN#PPLCTR',
  unixT: 1780000000000 + count,
  v: { count },
});

/** Stores a rejection on sensor.rejected.<reason>; returns its stream sequence. */
async function reject(
  reason: RejectedReading['reason'],
  rawMsgId: string,
  body: Partial<RejectedReading> = {},
) {
  const devid = `dev-${rawMsgId}`;
  const rejection: RejectedReading = {
    reason,
    errors: ['PID: missing, and device has no registry entry to fill it in'],
    rawSubject: `sensor.raw.SMARTCLEAN.${devid}`,
    rawMsgId,
    rejectedAt: new Date().toISOString(),
    point: point(devid, rawMsgId.length),
    ...body,
  };
  const ack = await publisher.publish({
    subject: `sensor.rejected.${reason}`,
    payload: rejection,
    msgId: `rejected:${rawMsgId}:${Math.random()}`,
    correlationId: `corr-${rawMsgId}`,
  });
  return ack.seq;
}

async function stored(stream: string) {
  const name = client.namespace.stream(stream);
  const { state } = await client.jsm.streams.info(name);
  const messages = [];
  for (let seq = state.first_seq; seq <= state.last_seq && state.messages > 0; seq += 1) {
    const message = await client.jsm.streams.getMessage(name, { seq });
    if (!message) continue;
    messages.push({
      seq,
      time: message.time,
      subject: client.namespace.strip(message.subject),
      msgId: message.header?.get('Nats-Msg-Id'),
      readingId: message.header?.get(HEADER.readingIds),
      redrivenFrom: message.header?.get(HEADER.redrivenFrom),
      correlationId: message.header?.get(HEADER.correlationId),
      json: JSON.parse(new TextDecoder().decode(message.data)) as unknown,
    });
  }
  return messages;
}

function run(args: string[]) {
  const lines: string[] = [];
  return redrive(args, env, (line) => lines.push(line)).then((summary) => ({ summary, lines }));
}

describe('matrix-cli redrive', () => {
  let first: number;
  let malformed: number;

  beforeAll(async () => {
    first = await reject('unknown_device', 'reading-a');
    await reject('unknown_device', 'reading-b');
    await reject('unknown_device', 'reading-a'); // rejected again after an earlier re-drive
    malformed = await reject('unknown_device', 'reading-c', { rawSubject: 'matrix.acme.scgrids.X.NORMAL' });
    await reject('invalid_value', 'reading-d');
  });

  it('in a dry run lists what it would re-drive and publishes nothing', async () => {
    const { summary, lines } = await run(['--reason', 'unknown_device', '--dry-run']);
    expect(summary).toEqual({
      run: expect.stringMatching(/^[a-z0-9]+$/),
      reason: 'unknown_device',
      dryRun: true,
      examined: 4,
      redriven: 2,
      skipped: 2,
      limitReached: false,
    });
    expect(lines.slice(0, 4)).toEqual([
      `would re-drive #${first} sensor.raw.SMARTCLEAN.dev-reading-a reading-a`,
      `would re-drive #${first + 1} sensor.raw.SMARTCLEAN.dev-reading-b reading-b`,
      `skipped #${first + 2}: another rejection of this reading was re-driven in this run`,
      `skipped #${malformed}: rawSubject is not a sensor.raw.… subject`,
    ]);
    expect(await stored('SENSOR_RAW')).toEqual([]);
  });

  let firstRun: string;

  it('republishes each original point to its raw subject, as a one-point array with the original reading id', async () => {
    const { summary } = await run(['--reason', 'unknown_device']);
    expect(summary).toMatchObject({ examined: 4, redriven: 2, skipped: 2 });
    firstRun = summary.run;
    const raw = await stored('SENSOR_RAW');
    expect(raw.map(({ time: _time, seq: _seq, ...message }) => message)).toEqual([
      {
        subject: 'sensor.raw.SMARTCLEAN.dev-reading-a',
        msgId: `redrive:reading-a:${firstRun}`,
        readingId: 'reading-a',
        redrivenFrom: `${client.namespace.stream('SENSOR_REJECTED')}:${first}`,
        correlationId: 'corr-reading-a',
        json: [point('dev-reading-a', 'reading-a'.length)],
      },
      {
        subject: 'sensor.raw.SMARTCLEAN.dev-reading-b',
        msgId: `redrive:reading-b:${firstRun}`,
        readingId: 'reading-b',
        redrivenFrom: `${client.namespace.stream('SENSOR_REJECTED')}:${first + 1}`,
        correlationId: 'corr-reading-b',
        json: [point('dev-reading-b', 'reading-b'.length)],
      },
    ]);
  });

  it('run again (e.g. after a premature first run), re-drives again under a new run id', async () => {
    const { summary, lines } = await run(['--reason', 'unknown_device']);
    expect(summary).toMatchObject({ examined: 4, redriven: 2, skipped: 2 });
    expect(summary.run).not.toBe(firstRun);
    expect(lines).toContain(`examined: 4 rejections on sensor.rejected.unknown_device (run ${summary.run})`);
    const raw = await stored('SENSOR_RAW');
    // Not dropped as duplicates of the first run's copies; the reading id, hence data:<id>, is the same.
    expect(raw.map((message) => [message.msgId, message.readingId])).toEqual([
      [`redrive:reading-a:${firstRun}`, 'reading-a'],
      [`redrive:reading-b:${firstRun}`, 'reading-b'],
      [`redrive:reading-a:${summary.run}`, 'reading-a'],
      [`redrive:reading-b:${summary.run}`, 'reading-b'],
    ]);
  });

  it('takes only rejections stored since --since, at most --limit of them', async () => {
    const before = await reject('invalid_time_zone', 'reading-e');
    const [old] = (await stored('SENSOR_REJECTED')).filter((message) => message.seq === before);
    const since = new Date(old!.time.getTime() + 1).toISOString();
    // The server stamps with this machine's clock: store the next one only once it is past `since`.
    await expectEventually(() => expect(Date.now()).toBeGreaterThan(Date.parse(since)));
    await reject('invalid_time_zone', 'reading-f');
    await reject('invalid_time_zone', 'reading-g');
    await reject('invalid_time_zone', 'reading-h');

    const limited = await run(['--reason', 'invalid_time_zone', '--since', since, '--limit', '2']);
    expect(limited.summary).toMatchObject({ examined: 2, redriven: 2, limitReached: true });
    const readings = (await stored('SENSOR_RAW')).map((message) => message.readingId);
    expect(readings.slice(4)).toEqual(['reading-f', 'reading-g']);

    const all = await run(['--reason', 'invalid_time_zone', '--since', since]);
    expect(all.summary).toMatchObject({ examined: 3, redriven: 3, limitReached: false });
    expect((await stored('SENSOR_RAW')).map((message) => message.readingId).slice(6)).toEqual([
      'reading-f',
      'reading-g',
      'reading-h',
    ]);
  });

  it('names the missing stream of a namespace that was never provisioned', async () => {
    const namespace = uniqueNamespace('cli_redrive_none');
    await expect(
      redrive(['--reason', 'unknown_device'], { ...env, NATS_NAMESPACE: namespace }, () => undefined),
    ).rejects.toThrow(
      `stream ${namespace.toUpperCase()}_SENSOR_REJECTED does not exist: run matrix-cli provision (is NATS_NAMESPACE right?)`,
    );
  });

  it('finds nothing to do for a reason without rejections', async () => {
    const { summary } = await run(['--reason', 'invalid_point']);
    expect(summary).toMatchObject({ examined: 0, redriven: 0, skipped: 0 });
  });
});
