import type { KvBucketSpec } from './kv-buckets';
import type { StreamSpec } from './topology.types';

const KIB = 1024;
const GIB = KIB ** 3;

/**
 * The JetStream storage budget `matrix-cli provision` splits by the streams' and buckets' `budgetShare` when
 * `NATS_JETSTREAM_BUDGET` is not set: the manifests give nats-server `max_file_store: 8GB` (8 GiB), and 1 GiB
 * of it is left for what no `max_bytes` counts (consumer state, the file store's indexes and block slack).
 */
export const DEFAULT_JETSTREAM_BUDGET = 7 * GIB;

/**
 * The budget of a caller that names none (tests and tools that provision a namespace of their own). nats-server
 * reserves every stream's `max_bytes` against its store when the stream is created and refuses a stream that
 * does not fit, so a test namespace must not reserve gigabytes.
 */
export const SMALL_JETSTREAM_BUDGET = 256 * KIB ** 2;

/** Per-deployment limits: the budget, and `max_bytes` / `max_age` of named streams or buckets instead of their share. */
export interface CapacityOptions {
  /** Bytes of JetStream file store the platform may reserve on each server (replicas reserve it on each). */
  readonly budgetBytes?: number;
  /** `max_bytes` by stream or bucket name (without the namespace), replacing `budget × budgetShare`. */
  readonly maxBytes?: Readonly<Record<string, number>>;
  /** `max_age` by stream name (without the namespace), replacing the stream's `maxAgeMs`. */
  readonly maxAgeMs?: Readonly<Record<string, number>>;
}

/** The limits `provision` applies, by stream or bucket name (without the namespace). */
export interface CapacityPlan {
  readonly budgetBytes: number;
  maxBytes(name: string): number;
  maxAgeMs(stream: StreamSpec): number;
  /** Sum of every `max_bytes`: what nats-server reserves on each server. */
  readonly reservedBytes: number;
}

/**
 * The `max_bytes` of every stream and bucket: its override, else `budget × budgetShare` (whole bytes).
 * Throws, naming them, on overrides of unknown names, shares that add up to more than 1 and limits below 1 KiB.
 */
export function planCapacity(
  streams: readonly StreamSpec[],
  buckets: readonly KvBucketSpec[],
  options: CapacityOptions = {},
): CapacityPlan {
  const budgetBytes = options.budgetBytes ?? SMALL_JETSTREAM_BUDGET;
  const all = [...streams, ...buckets];
  const known = all.map((spec) => spec.name);
  const problems: string[] = [];
  const shares = all.reduce((sum, spec) => sum + spec.budgetShare, 0);
  if (shares > 1 + 1e-9) {
    problems.push(`the budget shares of ${known.join(', ')} add up to ${shares}, more than 1`);
  }
  for (const [kind, names] of [
    ['max_bytes', Object.keys(options.maxBytes ?? {})],
    ['max_age', Object.keys(options.maxAgeMs ?? {})],
  ] as const) {
    const allowed = kind === 'max_age' ? streams.map((s) => s.name) : known;
    for (const name of names.filter((n) => !allowed.includes(n))) {
      problems.push(
        `${kind} for "${name}": no such ${kind === 'max_age' ? 'stream' : 'stream or KV bucket'} (one of ${allowed.join(', ')})`,
      );
    }
  }
  const maxBytes = new Map<string, number>();
  for (const spec of all) {
    const bytes = options.maxBytes?.[spec.name] ?? Math.floor(budgetBytes * spec.budgetShare);
    if (bytes < KIB) problems.push(`max_bytes of ${spec.name} would be ${bytes} bytes: at least 1 KiB`);
    maxBytes.set(spec.name, bytes);
  }
  for (const [name, ms] of Object.entries(options.maxAgeMs ?? {})) {
    if (!(ms >= 1000)) problems.push(`max_age of ${name} would be ${ms} ms: at least 1 s`);
  }
  if (problems.length > 0) throw new Error(`JetStream capacity: ${problems.join('; ')}`);
  return {
    budgetBytes,
    maxBytes(name) {
      const bytes = maxBytes.get(name);
      if (bytes === undefined) throw new Error(`JetStream capacity: no max_bytes planned for ${name}`);
      return bytes;
    },
    maxAgeMs: (stream) => options.maxAgeMs?.[stream.name] ?? stream.maxAgeMs,
    reservedBytes: [...maxBytes.values()].reduce((sum, bytes) => sum + bytes, 0),
  };
}

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1000,
  kb: KIB,
  kib: KIB,
  m: 1000 ** 2,
  mb: KIB ** 2,
  mib: KIB ** 2,
  g: 1000 ** 3,
  gb: GIB,
  gib: GIB,
  t: 1000 ** 4,
  tb: KIB ** 4,
  tib: KIB ** 4,
};

/**
 * A size as nats-server's configuration writes it, so a value copied from `max_file_store` means the same:
 * `8GB` and `8GiB` are 8 × 1024³ bytes, `8G` is 8 × 1000³, a bare number is bytes.
 */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[match?.[2]?.toLowerCase() ?? 'none'];
  if (!match || unit === undefined) {
    throw new Error(
      `"${text}" is not a size: write a number with an optional unit (B, KB, MB, GB, TB, KiB … TiB, K, M, G, T), e.g. 8GB`,
    );
  }
  return Math.floor(Number(match[1]) * unit);
}

const DURATIONS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A retention like `36h`, `7d`, `90m` or `30s`. */
export function parseRetention(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a duration: write a number and s, m, h or d, e.g. 36h`);
  return Math.round(Number(match[1]) * DURATIONS[match[2]!.toLowerCase()]!);
}

/**
 * A list `NAME=value,NAME=value` (stream or bucket names, values parsed by `parse`), for per-stream overrides
 * in one environment variable; errors name the entry that is wrong.
 */
export function parseNamedList<T>(text: string, parse: (value: string) => T): Record<string, T> {
  const result: Record<string, T> = {};
  for (const entry of text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    if (eq < 1 || !/^[A-Z][A-Z0-9_]*$/.test(name)) {
      throw new Error(
        `"${entry}" must be NAME=value with an upper-case stream or bucket name, e.g. SENSOR_RAW=20GB`,
      );
    }
    if (name in result) throw new Error(`${name} is given twice`);
    result[name] = parse(entry.slice(eq + 1));
  }
  return result;
}

/**
 * Makes nats-server's refusal to reserve a stream's `max_bytes` say what to change; other errors pass through.
 */
export function explainStorageError(what: string, maxBytes: number, error: unknown): unknown {
  const message = (error as Error)?.message ?? String(error);
  if (!/insufficient (storage )?resources/i.test(message)) return error;
  return new Error(
    `${what}: nats-server could not reserve max_bytes ${maxBytes} (${message}). The streams' max_bytes add up to ` +
      `more than its JetStream store (max_file_store) has left: lower NATS_JETSTREAM_BUDGET or the overrides ` +
      `in NATS_STREAM_MAX_BYTES, or give nats-server more store`,
    { cause: error },
  );
}

/**
 * nats-server deletes a stream's oldest messages at once when an update lowers `max_bytes` below what it holds
 * (whatever the discard policy), read by its consumers or not: provision never does that on its own.
 */
export function refuseTrim(what: string, heldBytes: number, maxBytes: number): void {
  if (heldBytes <= maxBytes) return;
  throw new Error(
    `${what} holds ${heldBytes} bytes, more than its new max_bytes ${maxBytes}: nats-server would delete the ` +
      `oldest messages at once, read or not. Nothing was changed on it. Give it at least that much ` +
      `(NATS_JETSTREAM_BUDGET, or NATS_STREAM_MAX_BYTES=<name>=<size>) and lower it later, once its consumers ` +
      `have read what the smaller limit would drop`,
  );
}
