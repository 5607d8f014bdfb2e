import type { EnvVar } from './env-schema';

/** The samplers of the OpenTelemetry specification's `OTEL_TRACES_SAMPLER`. */
export const TRACE_SAMPLERS = [
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
  'always_on',
  'always_off',
  'traceidratio',
] as const;
export type TraceSamplerName = (typeof TRACE_SAMPLERS)[number];

/** A variable that may be left unset: its README default reads `(empty)` (a `—` would mean required). */
function optional<T>(type: string, description: string, parse: (raw: string) => T): EnvVar<T | undefined> {
  return { type, description, default: '', parse: (raw) => (raw === '' ? undefined : parse(raw)) };
}

function httpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('must be an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('must use http:// or https://');
  return raw;
}

/** `key=value` pairs, comma-separated, values percent-decoded (the OTEL_EXPORTER_OTLP_HEADERS syntax). */
export function parseKeyValueList(raw: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of raw.split(',')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    if (at <= 0) throw new Error(`"${part.trim()}" is not key=value`);
    let value: string;
    try {
      value = decodeURIComponent(part.slice(at + 1).trim());
    } catch {
      throw new Error(`the value of "${part.slice(0, at).trim()}" is not percent-encoded correctly`);
    }
    pairs[part.slice(0, at).trim()] = value;
  }
  return pairs;
}

/**
 * The standard OpenTelemetry variables the services read (a subset of the SDK specification's; the OTLP
 * exporter reads the other `OTEL_EXPORTER_OTLP_*` ones, e.g. `…_TIMEOUT`, `…_COMPRESSION`, itself). Tracing
 * runs only when an exporter is configured; otherwise no SDK is loaded and no span is made.
 */
export const tracingEnv = {
  OTEL_SDK_DISABLED: optional(
    '`true` \\| `false`',
    '`true` keeps tracing off whatever else is set (the OpenTelemetry kill switch)',
    (raw) => {
      if (raw !== 'true' && raw !== 'false') throw new Error('must be true or false');
      return raw === 'true';
    },
  ),
  OTEL_TRACES_EXPORTER: optional(
    '`otlp` \\| `none`',
    'Where spans go: `otlp` (OTLP over HTTP, JSON encoding) or `none`. Unset: `otlp` when an OTLP endpoint is set, else none (no tracing, no cost)',
    (raw) => {
      if (raw !== 'otlp' && raw !== 'none') {
        throw new Error('must be otlp or none (the only exporters built in)');
      }
      return raw;
    },
  ),
  OTEL_EXPORTER_OTLP_ENDPOINT: optional(
    'url',
    'Base URL of the OTLP/HTTP receiver (a collector, e.g. `http://otel-collector:4318`); spans go to `<url>/v1/traces`. Setting it turns tracing on',
    httpUrl,
  ),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optional(
    'url',
    'Full URL spans are POSTed to, instead of `<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`. Setting it turns tracing on',
    httpUrl,
  ),
  OTEL_EXPORTER_OTLP_PROTOCOL: optional(
    '`http/json`',
    "OTLP transport: only `http/json` is built in (any collector's OTLP/HTTP receiver takes it)",
    (raw) => {
      if (raw !== 'http/json') {
        throw new Error('only http/json is supported (the services ship the OTLP/HTTP JSON exporter)');
      }
      return raw;
    },
  ),
  OTEL_EXPORTER_OTLP_HEADERS: optional(
    'string',
    'Headers sent with every export, `key=value` pairs, comma-separated, values percent-encoded (e.g. an `authorization` for a hosted collector)',
    parseKeyValueList,
  ),
  OTEL_SERVICE_NAME: optional(
    'string',
    "`service.name` of every span; default: the app's name (e.g. `push-ingress`)",
    (raw) => raw,
  ),
  OTEL_RESOURCE_ATTRIBUTES: optional(
    'string',
    'More resource attributes, `key=value` pairs, comma-separated (e.g. `deployment.environment.name=prod`)',
    (raw) => {
      parseKeyValueList(raw);
      return raw;
    },
  ),
  OTEL_TRACES_SAMPLER: {
    type: TRACE_SAMPLERS.map((s) => `\`${s}\``).join(' \\| '),
    description:
      'Which traces are recorded. `parentbased_*` follow the sampled flag of an incoming `traceparent` (HTTP or NATS) and apply the rest to new traces; under load use `parentbased_traceidratio`',
    default: 'parentbased_always_on',
    parse(raw: string): TraceSamplerName {
      if (!(TRACE_SAMPLERS as readonly string[]).includes(raw)) {
        throw new Error(`must be one of ${TRACE_SAMPLERS.join(', ')}`);
      }
      return raw as TraceSamplerName;
    },
  } satisfies EnvVar<TraceSamplerName>,
  OTEL_TRACES_SAMPLER_ARG: optional(
    'number',
    'The ratio (0–1) of new traces recorded by `traceidratio` and `parentbased_traceidratio`; default 1',
    (raw) => {
      const ratio = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
        throw new Error('must be a number from 0 to 1');
      }
      return ratio;
    },
  ),
  OTEL_BSP_SCHEDULE_DELAY: {
    type: 'integer',
    description:
      'Milliseconds between two exports of the spans recorded meanwhile (at most 512 per export, 2,048 queued; more are dropped)',
    default: '5000',
    parse(raw: string): number {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 1) throw new Error('must be a positive integer');
      return value;
    },
  } satisfies EnvVar<number>,
};

export interface TracingConfig {
  /** False: no SDK is started and every seam skips its tracing work. */
  readonly enabled: boolean;
  readonly serviceName: string;
  /** Where spans are POSTed (OTLP/HTTP JSON). */
  readonly url?: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: TraceSamplerName;
  readonly samplerRatio: number;
  /** Milliseconds between exports. */
  readonly exportDelayMs: number;
}

export interface TracingEnvValues {
  OTEL_SDK_DISABLED?: boolean;
  OTEL_TRACES_EXPORTER?: 'otlp' | 'none';
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?: string;
  OTEL_EXPORTER_OTLP_PROTOCOL?: string;
  OTEL_EXPORTER_OTLP_HEADERS?: Record<string, string>;
  OTEL_SERVICE_NAME?: string;
  OTEL_RESOURCE_ATTRIBUTES?: string;
  OTEL_TRACES_SAMPLER: TraceSamplerName;
  OTEL_TRACES_SAMPLER_ARG?: number;
  OTEL_BSP_SCHEDULE_DELAY: number;
}

/** Maps the validated variables to the tracing config of `service`. */
export function tracingConfig(service: string, e: TracingEnvValues): TracingConfig {
  const base = e.OTEL_EXPORTER_OTLP_ENDPOINT;
  const url =
    e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ??
    (base === undefined ? undefined : `${base.replace(/\/+$/, '')}/v1/traces`);
  const exporter = e.OTEL_SDK_DISABLED
    ? 'none'
    : (e.OTEL_TRACES_EXPORTER ?? (url === undefined ? 'none' : 'otlp'));
  return {
    enabled: exporter === 'otlp',
    serviceName: e.OTEL_SERVICE_NAME ?? service,
    // `otlp` with no endpoint: the OTLP/HTTP default, a collector on this host.
    url: exporter === 'otlp' ? (url ?? 'http://localhost:4318/v1/traces') : undefined,
    headers: e.OTEL_EXPORTER_OTLP_HEADERS ?? {},
    resourceAttributes:
      e.OTEL_RESOURCE_ATTRIBUTES === undefined ? {} : parseKeyValueList(e.OTEL_RESOURCE_ATTRIBUTES),
    sampler: e.OTEL_TRACES_SAMPLER,
    samplerRatio: e.OTEL_TRACES_SAMPLER_ARG ?? 1,
    exportDelayMs: e.OTEL_BSP_SCHEDULE_DELAY,
  };
}
