import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_JETSTREAM_BUDGET,
  parseByteSize,
  parseNamedList,
  parseRetention,
  planCapacity,
  refuseTrim,
} from './capacity';
import { MATRIX_KV_BUCKETS } from './kv-buckets';
import { MATRIX_TOPOLOGY, SENSOR_DATA, SENSOR_RAW } from './matrix-topology';

const GIB = 1024 ** 3;

describe('the platform capacity plan', () => {
  it('gives every stream and bucket a share, and the shares add up to the budget at most', () => {
    const specs = [...MATRIX_TOPOLOGY.streams, ...MATRIX_KV_BUCKETS];
    expect(specs.every((spec) => spec.budgetShare > 0)).toBe(true);
    const plan = planCapacity(MATRIX_TOPOLOGY.streams, MATRIX_KV_BUCKETS, {
      budgetBytes: DEFAULT_JETSTREAM_BUDGET,
    });
    expect(plan.reservedBytes).toBeLessThanOrEqual(DEFAULT_JETSTREAM_BUDGET);
    expect(plan.reservedBytes).toBeGreaterThan(DEFAULT_JETSTREAM_BUDGET * 0.99);
  });

  it("keeps 1 GiB of the manifests' 8 GiB store out of the default budget", () => {
    expect(DEFAULT_JETSTREAM_BUDGET).toBe(7 * GIB);
  });

  it('refuses to drop unread messages: discard old only on streams no durable consumer reads', () => {
    const durableStreams = new Set(
      MATRIX_TOPOLOGY.consumers.filter((c) => c.durable !== 'dead-letter-relay').map((c) => c.stream),
    );
    for (const stream of MATRIX_TOPOLOGY.streams.filter((s) => durableStreams.has(s.name))) {
      expect({ stream: stream.name, discard: stream.discard }).toEqual({
        stream: stream.name,
        discard: 'new',
      });
    }
    expect(MATRIX_TOPOLOGY.streams.filter((s) => s.discard === 'old').map((s) => s.name)).toEqual([
      'SENSOR_REJECTED',
      'DEAD_LETTER_ADVISORIES',
    ]);
  });

  it('fills SENSOR_RAW before SENSOR_DATA at any batch size, so a full store is a 503 at the edge', () => {
    // Stored bytes per point measured by bench/ingest/stream-bytes.mjs (docs/operations.md, Capacity): raw
    // ones are fewest in the largest batches (149 at 100 points a message), normalised ones 411.
    const rawBytesFewest = 149;
    const dataBytes = 411;
    expect(SENSOR_RAW.budgetShare / rawBytesFewest).toBeLessThanOrEqual(SENSOR_DATA.budgetShare / dataBytes);
  });

  it("takes a stream's max_bytes and max_age from an override instead of its share", () => {
    const plan = planCapacity(MATRIX_TOPOLOGY.streams, MATRIX_KV_BUCKETS, {
      budgetBytes: 10 * GIB,
      maxBytes: { SENSOR_RAW: 40 * GIB },
      maxAgeMs: { SENSOR_RAW: 86_400_000 },
    });
    expect(plan.maxBytes('SENSOR_RAW')).toBe(40 * GIB);
    expect(plan.maxBytes('SENSOR_DATA')).toBe(Math.floor(10 * GIB * SENSOR_DATA.budgetShare));
    expect(plan.maxAgeMs(SENSOR_RAW)).toBe(86_400_000);
    expect(plan.maxAgeMs(MATRIX_TOPOLOGY.streams[1]!)).toBe(7 * 86_400_000);
  });

  it('names what is wrong with the overrides', () => {
    expect(() =>
      planCapacity(MATRIX_TOPOLOGY.streams, MATRIX_KV_BUCKETS, {
        maxBytes: { SENSOR_RAWW: GIB, DEVICE_SLOTS: 10 },
        maxAgeMs: { DEVICE_SLOTS: 60_000 },
      }),
    ).toThrow(
      /max_bytes for "SENSOR_RAWW": no such stream or KV bucket \(one of SENSOR_RAW, .*\); max_age for "DEVICE_SLOTS": no such stream .*; max_bytes of DEVICE_SLOTS would be 10 bytes: at least 1 KiB/,
    );
  });

  it('refuses shares that add up to more than the budget', () => {
    const stream = { ...SENSOR_RAW, budgetShare: 0.7 };
    expect(() => planCapacity([stream, { ...stream, name: 'OTHER' }], [])).toThrow(
      'the budget shares of SENSOR_RAW, OTHER add up to 1.4, more than 1',
    );
  });

  it('refuses an update that would make nats-server delete messages to fit a lower max_bytes', () => {
    expect(() => refuseTrim('stream X', 2000, 1999)).toThrow(
      'stream X holds 2000 bytes, more than its new max_bytes 1999: nats-server would delete the oldest messages at once',
    );
    expect(() => refuseTrim('stream X', 2000, 2000)).not.toThrow();
  });
});

describe('parsing sizes and retentions', () => {
  it('reads sizes as nats.conf does: GB and GiB are 1024³, G is 1000³', () => {
    expect(parseByteSize('8GB')).toBe(8 * GIB);
    expect(parseByteSize('8 GiB')).toBe(8 * GIB);
    expect(parseByteSize('8G')).toBe(8e9);
    expect(parseByteSize('1.5mb')).toBe(1.5 * 1024 ** 2);
    expect(parseByteSize('4096')).toBe(4096);
    expect(() => parseByteSize('8 gigs')).toThrow('"8 gigs" is not a size');
    expect(() => parseByteSize('-1GB')).toThrow('is not a size');
  });

  it('reads retentions in s, m, h and d', () => {
    expect(parseRetention('36h')).toBe(36 * 3_600_000);
    expect(parseRetention('7d')).toBe(7 * 86_400_000);
    expect(() => parseRetention('1w')).toThrow('"1w" is not a duration');
  });

  it('reads NAME=value lists and names the entry that is wrong', () => {
    expect(parseNamedList('SENSOR_RAW=20GB, SENSOR_DATA=1TB', parseByteSize)).toEqual({
      SENSOR_RAW: 20 * GIB,
      SENSOR_DATA: 1024 * GIB,
    });
    expect(parseNamedList('', parseByteSize)).toEqual({});
    expect(() => parseNamedList('sensor_raw=1GB', parseByteSize)).toThrow(
      '"sensor_raw=1GB" must be NAME=value',
    );
    expect(() => parseNamedList('A=1GB,A=2GB', parseByteSize)).toThrow('A is given twice');
  });
});

describe('docs/operations.md, Capacity', () => {
  // A new stream or bucket, or a changed share, age or policy: add or fix its row there (the diff shows it).
  it('lists every stream and bucket with its share, default max_bytes, max_age and discard policy', () => {
    const doc = readFileSync(path.join(__dirname, '../../../../../docs/operations.md'), 'utf8');
    const plan = planCapacity(MATRIX_TOPOLOGY.streams, MATRIX_KV_BUCKETS, {
      budgetBytes: DEFAULT_JETSTREAM_BUDGET,
    });
    const size = (bytes: number) =>
      bytes >= GIB ? `${(bytes / GIB).toFixed(2)} GiB` : `${Math.round(bytes / 1024 ** 2)} MiB`;
    const days = (ms: number) => `${ms / 86_400_000} days`;
    const expected = [
      ...MATRIX_TOPOLOGY.streams.map(
        (s) =>
          `| \`${s.name}\` | ${+(s.budgetShare * 100).toFixed(1)} % | ${size(plan.maxBytes(s.name))} | ${days(s.maxAgeMs)} | ${s.discard} |`,
      ),
      ...MATRIX_KV_BUCKETS.map(
        (b) =>
          `| \`${b.name}\` (KV) | ${+(b.budgetShare * 100).toFixed(1)} % | ${size(plan.maxBytes(b.name))} | — | new |`,
      ),
    ];
    const rows = doc.split('\n').filter((line) => /^\| `[A-Z_]+`( \(KV\))? \| [\d.]+ % \|/.test(line));
    expect(rows.map((row) => row.split(' | ').slice(0, 5).join(' | ') + ' |')).toEqual(expected);
  });
});
