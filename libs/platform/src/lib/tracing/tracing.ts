import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

export { SpanKind, SpanStatusCode, type Attributes, type Context, type Span };

/**
 * The tracing seams of the platform (HTTP server and client, NATS publish and consume, the outbox, SQL
 * writes) call these. While tracing is off (no exporter configured) `tracingEnabled()` is false and
 * callers skip their tracing work entirely: no span objects, no header parsing.
 */
let enabled = false;
let tracer: Tracer | undefined;

export function tracingEnabled(): boolean {
  return enabled;
}

/** Called by `startTracing` once the SDK is registered (and with false on shutdown or in tests). */
export function setTracingEnabled(on: boolean): void {
  enabled = on;
  tracer = on ? trace.getTracer('matrix') : undefined;
}

function activeTracer(): Tracer {
  return (tracer ??= trace.getTracer('matrix'));
}

/** W3C trace context (`traceparent`, `tracestate`): the format on HTTP and in NATS message headers. */
const w3c = new W3CTraceContextPropagator();
const recordSetter = {
  set(carrier: Record<string, string>, key: string, value: string) {
    carrier[key] = value;
  },
};
const recordGetter = {
  keys: (carrier: Readonly<Record<string, string | string[] | undefined>>) => Object.keys(carrier),
  get: (carrier: Readonly<Record<string, string | string[] | undefined>>, key: string) => carrier[key],
};

/** Writes the span context of `ctx` into `headers` as `traceparent` (and `tracestate` when there is one). */
export function injectTraceHeaders(ctx: Context, headers: Record<string, string>): void {
  w3c.inject(ctx, headers, recordSetter);
}

/**
 * The remote span context in `headers` (`traceparent`/`tracestate`, HTTP's lower-case names), as a context
 * a span can be started in; the root context when there is none or it is malformed.
 */
export function extractTraceContext(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  parent: Context = ROOT_CONTEXT,
): Context {
  return w3c.extract(parent, headers, recordGetter);
}

/** `traceparent`/`tracestate` of the active span, to store with work done later (an outbox row); none without a span. */
export function activeTraceHeaders(): Record<string, string> | undefined {
  if (!enabled || trace.getSpanContext(context.active()) === undefined) return undefined;
  const headers: Record<string, string> = {};
  injectTraceHeaders(context.active(), headers);
  return headers.traceparent === undefined ? undefined : headers;
}

export function activeContext(): Context {
  return context.active();
}

export function startSpan(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes; links?: Link[] },
  parent: Context = context.active(),
): Span {
  return activeTracer().startSpan(name, options, parent);
}

/** Ends `span` with an error status naming `error`. */
export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message ?? String(error) });
}

/**
 * Runs `fn` in a new span (a child of the active one) when tracing is on, ending it when `fn` settles (a
 * rejection marks it failed); runs `fn` alone when tracing is off.
 */
export async function inSpan<T>(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes },
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return fn(undefined);
  const span = startSpan(name, options);
  try {
    return await context.with(trace.setSpan(context.active(), span), () => fn(span));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * A span over work done for several messages at once (a consumer batch, one SQL transaction): its parent is
 * the first of `parents` whose trace is sampled (else the first), so the batch shows in that message's trace
 * as a child; every other message's span context is a link (OpenTelemetry's messaging conventions for batch
 * processing). Returns the span and the context to run the batch's work in.
 */
export function startBatchSpan(
  name: string,
  options: { kind: SpanKind; attributes?: Attributes },
  parents: readonly Context[],
): { span: Span; context: Context } {
  const contexts = parents.map((ctx) => trace.getSpanContext(ctx));
  let chosen = contexts.findIndex((sc) => sc !== undefined && (sc.traceFlags & TraceFlags.SAMPLED) !== 0);
  if (chosen < 0) chosen = contexts.findIndex((sc) => sc !== undefined);
  const links: Link[] = [];
  contexts.forEach((sc, i) => {
    if (sc !== undefined && i !== chosen) links.push({ context: sc });
  });
  const parent = chosen >= 0 ? parents[chosen]! : ROOT_CONTEXT;
  const span = activeTracer().startSpan(
    name,
    {
      ...options,
      links,
      attributes: { ...options.attributes, 'messaging.batch.message_count': parents.length },
    },
    parent,
  );
  return { span, context: trace.setSpan(parent, span) };
}

/** `ctx` with `span` as its current span (the parent of spans started in it). */
export function contextWithSpan(ctx: Context, span: Span): Context {
  return trace.setSpan(ctx, span);
}

/** Runs `fn` with `ctx` as the active context. */
export function withContext<T>(ctx: Context, fn: () => T): T {
  return context.with(ctx, fn);
}
