// The raw ceilings of the ingest benchmark (run by run.mjs as its own process, one kind per run):
//
//   node bench/ingest/ceilings.mjs '{"kind":"jetstream", …}'   JetStream publish, acks pipelined
//   node bench/ingest/ceilings.mjs '{"kind":"copy", …}'        PostgreSQL COPY FROM STDIN
//
// jetstream: publishes the benchmark's points (points.mjs) to a throwaway stream (file storage, 2-minute
// duplicate window, like SENSOR_RAW), `pointsPerMessage` points per message — 1 (the point as JSON) or a
// batch (a JSON array, with the `Matrix-Reading-Ids` header push-ingress sends) — each with a
// `Nats-Msg-Id`, keeping `window` publishes in flight (each a request with its own ack) for `warmupMs`,
// then counts the acks of `durationMs`. Deletes the stream afterwards.
//
// copy: renders `rows` rows of matrix.sensor_data (every column the projector writes, as it writes
// them) into COPY text before the clock starts, then COPYs them in statements of `rowsPerStatement` rows
// (each its own transaction) over `connections` connections at once into `table`, a plain logged table
// created `like matrix.sensor_data including all` (the same columns, defaults, primary key and index, but
// not partitioned), truncated before each run. COPY FROM STDIN is driven through the `pg` client's
// custom-query interface (what pg-copy-streams does), so no extra dependency is needed.
//
// Prints one JSON line of results.
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, headers as natsHeaders } from '@nats-io/transport-node';
import pg from 'pg';
import { pointRenderer, PROVIDER, slotEntry, TIME_ZONE, fakeReadingId } from './points.mjs';

const spec = JSON.parse(process.argv[2] ?? '{}');
setTimeout(
  () => {
    process.stderr.write('ceilings.mjs: hard time limit reached\n');
    process.exit(2);
  },
  spec.limitMs ?? 5 * 60_000,
).unref();

const round = (x) => Math.round(x * 100) / 100;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ------------------------------------------------------------------------------------ JetStream

async function jetstreamCeiling() {
  const nc = await connect({ servers: spec.natsUrl.split(','), name: 'bench-ingest-ceiling', timeout: 5000 });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  await jsm.streams.add({
    name: spec.stream,
    subjects: [`${spec.subjectPrefix}.>`],
    storage: 'file',
    retention: 'limits',
    max_age: 7 * 24 * 3600 * 1e9,
    duplicate_window: 120 * 1e9,
    num_replicas: 1,
  });
  const render = pointRenderer(spec.slots, spec.unixBase, spec.mix);
  const perMessage = spec.pointsPerMessage;
  const subject = `${spec.subjectPrefix}.${PROVIDER}.benchlane`;
  const encoder = new TextEncoder();
  const id = (seq) => String(seq).padStart(40, '0');

  let next = 0;
  let counted = 0;
  let bytes = 0;
  let errors = 0;
  const started = performance.now();
  const measureFrom = started + spec.warmupMs;
  const measureTo = measureFrom + spec.durationMs;

  const publishOne = async () => {
    const firstSeq = spec.firstSeq + next++ * perMessage;
    let data;
    const options = {};
    if (perMessage === 1) {
      data = encoder.encode(render.point(firstSeq));
      options.msgID = `raw:${id(firstSeq)}`;
    } else {
      data = encoder.encode(render.batch(firstSeq, perMessage));
      const ids = [];
      for (let k = 0; k < perMessage; k++) ids.push(id(firstSeq + k));
      const h = natsHeaders();
      h.set('Matrix-Reading-Ids', ids.join(','));
      options.headers = h;
      options.msgID = `raw:b${id(firstSeq)}`;
    }
    const sentAt = performance.now();
    try {
      await js.publish(subject, data, options);
      if (sentAt >= measureFrom && sentAt < measureTo) {
        counted += 1;
        bytes += data.length;
      }
    } catch {
      errors += 1;
    }
  };
  const worker = async () => {
    while (performance.now() < measureTo) await publishOne();
  };
  await Promise.all(Array.from({ length: spec.window }, worker));
  const info = await jsm.streams.info(spec.stream);
  await jsm.streams.delete(spec.stream);
  await nc.drain();
  const seconds = spec.durationMs / 1000;
  return {
    kind: 'jetstream',
    pointsPerMessage: perMessage,
    window: spec.window,
    messages: counted,
    messagesPerSecond: round(counted / seconds),
    pointsPerSecond: round((counted * perMessage) / seconds),
    megabytesPerSecond: round(bytes / seconds / 1e6),
    bytesPerMessage: counted ? Math.round(bytes / counted) : 0,
    storedMessages: info.state.messages,
    errors,
    seqUsed: next * perMessage,
  };
}

// ------------------------------------------------------------------------------------ COPY

/** COPY text escaping (text format): backslash, tab, newline, carriage return. */
const copyText = (value) =>
  value === null || value === undefined
    ? '\\N'
    : String(value).replace(
        /[\\\t\n\r]/g,
        (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c],
      );

/** The local-time fields of `unixT` in the bench time zone (the offset is taken once: fine for a ceiling). */
function localFields(unixBase) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: TIME_ZONE,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(unixBase))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(
    +parts.year,
    +parts.month - 1,
    +parts.day,
    +parts.hour,
    +parts.minute,
    +parts.second,
  );
  const offsetMs = local - Math.floor(unixBase / 1000) * 1000;
  const two = (n) => String(n).padStart(2, '0');
  return (unixT) => {
    const d = new Date(unixT + offsetMs);
    return {
      t: `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`,
      dow: String(d.getUTCDay()),
      month: two(d.getUTCMonth() + 1),
      hour: two(d.getUTCHours()),
      dom: two(d.getUTCDate()),
      minute: two(d.getUTCMinutes()),
    };
  };
}

/** The COPY text of rows firstSeq … firstSeq + count − 1, as the projector would write them. */
function renderRows(firstSeq, count, render, local, directory) {
  const lines = [];
  for (let seq = firstSeq; seq < firstSeq + count; seq++) {
    const point = render.object(seq);
    const slot = directory[seq % directory.length];
    const l = local(point.unixT);
    lines.push(
      [
        `data:${fakeReadingId(seq, 'copy')}`,
        l.t,
        JSON.stringify(point.v),
        point.unixT,
        point.DEVID,
        slot.Region,
        new Date(point.unixT).toISOString(),
        point.DevType,
        slot.PID,
        slot.PropId,
        slot.InsID,
        slot.Display,
        l.dow,
        l.month,
        l.hour,
        l.dom,
        l.minute,
        null,
        seq,
      ]
        .map(copyText)
        .join('\t'),
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** COPY … FROM STDIN of one buffer through pg's custom-query interface; resolves with the row count. */
function copyFrom(client, sql, data) {
  return new Promise((resolve, reject) => {
    let failed = false;
    let rows = 0;
    const query = {
      submit(connection) {
        connection.query(sql);
      },
      async handleCopyInResponse(connection) {
        const step = 256 * 1024;
        for (let at = 0; at < data.length && !failed; at += step) {
          connection.sendCopyFromChunk(data.subarray(at, at + step));
          if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
        }
        if (!failed) connection.endCopyFrom();
      },
      handleCommandComplete(message) {
        rows = Number(/(\d+)$/.exec(message.text ?? '')?.[1] ?? 0);
      },
      handleReadyForQuery() {
        if (!failed) resolve(rows);
      },
      handleError(error) {
        failed = true;
        reject(error);
      },
      handleRowDescription() {},
      handleDataRow() {},
      handleEmptyQuery() {},
      handlePortalSuspended() {},
      handleCopyData() {},
    };
    client.query(query);
  });
}

async function copyCeiling() {
  const admin = new pg.Client({ connectionString: spec.databaseUrl });
  await admin.connect();
  const [schema, name] = spec.table.split('.');
  await admin.query(`create schema if not exists ${schema}`);
  await admin.query(`drop table if exists ${spec.table}`);
  await admin.query(`create table ${spec.table} (like matrix.sensor_data including all)`);
  const indexes = (
    await admin.query(`select indexdef from pg_indexes where schemaname = $1 and tablename = $2 order by 1`, [
      schema,
      name,
    ])
  ).rows.map((r) => r.indexdef);
  const settings = Object.fromEntries(
    (
      await admin.query(
        `select name, setting || coalesce(unit, '') as value from pg_settings
          where name in ('synchronous_commit', 'fsync', 'shared_buffers', 'wal_level', 'max_wal_size', 'full_page_writes')`,
      )
    ).rows.map((r) => [r.name, r.value]),
  );

  const render = pointRenderer(spec.slots, spec.unixBase, spec.mix);
  const local = localFields(spec.unixBase);
  const directory = Array.from({ length: spec.slots }, (_, i) =>
    slotEntry(i, { pid: spec.pid, propId: spec.propId, org: spec.org }, spec.mix),
  );
  const columns =
    'msg_id, t, v, unixt, devid, region, time, devtype, pid, propid, insid, display, dow, month, hour, dom, minute, extra, stream_seq';
  const sql = `copy ${spec.table} (${columns}) from stdin`;

  const runs = [];
  let seq = spec.firstSeq;
  for (const connections of spec.connections) {
    await admin.query(`truncate ${spec.table}`);
    await admin.query(`checkpoint`);
    const rendering = performance.now();
    const statements = [];
    for (let done = 0; done < spec.rows; done += spec.rowsPerStatement) {
      const count = Math.min(spec.rowsPerStatement, spec.rows - done);
      statements.push(renderRows(seq, count, render, local, directory));
      seq += count;
    }
    const renderMs = performance.now() - rendering;
    const bytes = statements.reduce((n, b) => n + b.length, 0);
    const clients = [];
    for (let i = 0; i < connections; i++) {
      const client = new pg.Client({ connectionString: spec.databaseUrl });
      await client.connect();
      clients.push(client);
    }
    await sleep(200);
    let next = 0;
    let rows = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (next < statements.length) {
          const copied = await copyFrom(client, sql, statements[next++]);
          rows += copied;
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    await Promise.all(clients.map((client) => client.end()));
    const stored = Number((await admin.query(`select count(*) as n from ${spec.table}`)).rows[0].n);
    runs.push({
      connections,
      rows,
      stored,
      seconds: round(seconds),
      rowsPerSecond: round(rows / seconds),
      megabytesPerSecond: round(bytes / seconds / 1e6),
      bytesPerRow: Math.round(bytes / spec.rows),
      renderSeconds: round(renderMs / 1000),
    });
  }
  await admin.query(`drop table ${spec.table}`);
  await admin.end();
  const best = runs.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  return {
    kind: 'copy',
    table: spec.table,
    logged: true,
    partitioned: false,
    indexes,
    settings,
    rowsPerStatement: spec.rowsPerStatement,
    runs,
    rowsPerSecond: best.rowsPerSecond,
    bestConnections: best.connections,
    seqUsed: seq - spec.firstSeq,
  };
}

const result = spec.kind === 'jetstream' ? await jetstreamCeiling() : await copyCeiling();
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
