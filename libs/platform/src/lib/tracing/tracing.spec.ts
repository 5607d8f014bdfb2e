import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, ROOT_CONTEXT, trace, TraceFlags, type SpanContext } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import Fastify from 'fastify';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { traceFastifyRoutes, traceHttpServer } from './http-server-tracing';
import {
  activeTraceHeaders,
  extractTraceContext,
  inSpan,
  injectTraceHeaders,
  setTracingEnabled,
  SpanKind,
  startBatchSpan,
  tracingEnabled,
} from './tracing';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';
const remote = (traceId: string, spanId: string, sampled: boolean): SpanContext => ({
  traceId,
  spanId,
  traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
  isRemote: true,
});

describe('trace context headers (W3C traceparent/tracestate)', () => {
  it('writes the span context of a context and reads the same one back', () => {
    const headers: Record<string, string> = {};
    injectTraceHeaders(trace.setSpanContext(ROOT_CONTEXT, remote(TRACE, SPAN, true)), headers);
    expect(headers).toEqual({ traceparent: `00-${TRACE}-${SPAN}-01` });
    expect(trace.getSpanContext(extractTraceContext(headers))).toEqual(remote(TRACE, SPAN, true));
  });

  it('keeps the sampled flag off and carries tracestate through', () => {
    const headers = { traceparent: `00-${TRACE}-${SPAN}-00`, tracestate: 'vendor=abc,other=1' };
    const extracted = extractTraceContext(headers);
    const out: Record<string, string> = {};
    injectTraceHeaders(extracted, out);
    expect(out).toEqual(headers);
    expect(trace.getSpanContext(extracted)?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('finds no span context in a missing, malformed or all-zero traceparent', () => {
    for (const headers of [
      {},
      { traceparent: 'garbage' },
      { traceparent: `00-${TRACE}-${SPAN}` },
      { traceparent: `00-${'0'.repeat(32)}-${SPAN}-01` },
      { traceparent: `00-${TRACE.toUpperCase()}-${SPAN}-01` },
    ]) {
      expect({ headers, found: trace.getSpanContext(extractTraceContext(headers)) }).toEqual({
        headers,
        found: undefined,
      });
    }
  });

  it('writes nothing for a context without a span', () => {
    const headers: Record<string, string> = {};
    injectTraceHeaders(ROOT_CONTEXT, headers);
    expect(headers).toEqual({});
  });
});

describe('spans', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const finished = (): ReadableSpan[] => exporter.getFinishedSpans();
  const spansOf = async (count: number) => {
    // A server span ends on 'finish', possibly just after the client has its answer.
    for (let i = 0; i < 100 && finished().length < count; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    return finished();
  };

  beforeAll(() => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    trace.setGlobalTracerProvider(provider);
  });
  beforeEach(() => {
    exporter.reset();
    setTracingEnabled(true);
  });
  afterAll(async () => {
    setTracingEnabled(false);
    await provider.shutdown();
    context.disable();
  });

  it('makes none while tracing is off: inSpan runs the work alone, no trace headers are stored', async () => {
    setTracingEnabled(false);
    expect(tracingEnabled()).toBe(false);
    const seen = await inSpan('off', { kind: SpanKind.INTERNAL }, async (span) => ({
      span,
      headers: activeTraceHeaders(),
    }));
    expect(seen).toEqual({ span: undefined, headers: undefined });
    expect(finished()).toEqual([]);
  });

  it('runs work in a child span whose traceparent activeTraceHeaders() answers, failed on a rejection', async () => {
    const parent = trace.setSpanContext(ROOT_CONTEXT, remote(TRACE, SPAN, true));
    const headers = await context.with(parent, () =>
      inSpan('write', { kind: SpanKind.CLIENT }, async () => activeTraceHeaders()),
    );
    await expect(
      inSpan('broken', { kind: SpanKind.INTERNAL }, async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    const [write, broken] = finished();
    expect(write!.spanContext().traceId).toBe(TRACE);
    expect(write!.parentSpanContext?.spanId).toBe(SPAN);
    expect(headers).toEqual({ traceparent: `00-${TRACE}-${write!.spanContext().spanId}-01` });
    expect(broken!.status).toEqual({ code: 2, message: 'disk full' });
  });

  it('parents a batch span on the first sampled message and links the others', () => {
    const other = 'a'.repeat(32);
    const parents = [
      trace.setSpanContext(ROOT_CONTEXT, remote(other, '1'.repeat(16), false)),
      trace.setSpanContext(ROOT_CONTEXT, remote(TRACE, SPAN, true)),
      ROOT_CONTEXT,
      trace.setSpanContext(ROOT_CONTEXT, remote(other, '2'.repeat(16), true)),
    ];
    const { span, context: ctx } = startBatchSpan('process d', { kind: SpanKind.CONSUMER }, parents);
    expect(trace.getSpan(ctx)).toBe(span);
    span.end();
    const [batch] = finished();
    expect(batch!.spanContext().traceId).toBe(TRACE);
    expect(batch!.parentSpanContext?.spanId).toBe(SPAN);
    expect(batch!.links.map((link) => link.context.spanId)).toEqual(['1'.repeat(16), '2'.repeat(16)]);
    expect(batch!.attributes['messaging.batch.message_count']).toBe(4);
  });

  it('starts a new trace for a batch of messages without trace context', () => {
    startBatchSpan('process d', { kind: SpanKind.CONSUMER }, [ROOT_CONTEXT, ROOT_CONTEXT]).span.end();
    const [batch] = finished();
    expect(batch!.parentSpanContext).toBeUndefined();
    expect(batch!.links).toEqual([]);
  });

  describe('traceHttpServer', () => {
    let server: Server;
    let url: string;

    beforeAll(async () => {
      server = createServer((req, res) => {
        // The body arrives in the socket's async context: the child span must still find the request's.
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          void inSpan('handler', { kind: SpanKind.INTERNAL }, async () => {
            res.statusCode = req.url === '/fail' ? 503 : 202;
            res.end(Buffer.concat(chunks));
          });
        });
      });
      traceHttpServer(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('answers each request in a SERVER span under the incoming traceparent, its work a child', async () => {
      const response = await fetch(`${url}/v1/sensor-data?x=1`, {
        method: 'POST',
        body: 'x'.repeat(100_000),
        headers: { traceparent: `00-${TRACE}-${SPAN}-01` },
      });
      expect(response.status).toBe(202);
      const spans = await spansOf(2);
      const serverSpan = spans.find((s) => s.kind === SpanKind.SERVER)!;
      const handler = spans.find((s) => s.name === 'handler')!;
      expect(serverSpan.name).toBe('POST');
      expect(serverSpan.spanContext().traceId).toBe(TRACE);
      expect(serverSpan.parentSpanContext?.spanId).toBe(SPAN);
      expect(serverSpan.attributes).toMatchObject({
        'http.request.method': 'POST',
        'url.path': '/v1/sensor-data',
        'http.response.status_code': 202,
      });
      expect(handler.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    });

    it('marks a 5xx answer failed and starts a new trace without traceparent', async () => {
      expect((await fetch(`${url}/fail`, { method: 'POST', body: 'x' })).status).toBe(503);
      const serverSpan = (await spansOf(2)).find((s) => s.kind === SpanKind.SERVER)!;
      expect(serverSpan.parentSpanContext).toBeUndefined();
      expect(serverSpan.status.code).toBe(2);
    });

    it('makes no span for health probes and metrics scrapes', async () => {
      await fetch(`${url}/health/ready`, { method: 'POST', body: 'x' });
      await fetch(`${url}/metrics`, { method: 'POST', body: 'x' });
      await spansOf(1);
      expect(finished().map((s) => s.name)).toEqual(['handler', 'handler']);
    });
  });

  it('wraps a Fastify server the same way, its span named after the matched route (the gateway, ADR-20)', async () => {
    const app = Fastify();
    app.post('/v1/things/:id', async (request) => {
      await inSpan('handler', { kind: SpanKind.INTERNAL }, async () => undefined);
      return { got: (request.body as { n: number }).n };
    });
    traceFastifyRoutes(app);
    await app.ready();
    traceHttpServer(app.server);
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const response = await fetch(
        `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/things/42`,
        {
          method: 'POST',
          body: JSON.stringify({ n: 7 }),
          headers: { 'content-type': 'application/json', traceparent: `00-${TRACE}-${SPAN}-01` },
        },
      );
      expect(await response.json()).toEqual({ got: 7 });
      const spans = await spansOf(2);
      const serverSpan = spans.find((span) => span.kind === SpanKind.SERVER)!;
      const handler = spans.find((span) => span.name === 'handler')!;
      expect(serverSpan.parentSpanContext?.spanId).toBe(SPAN);
      expect(serverSpan.name).toBe('POST /v1/things/:id');
      expect(serverSpan.attributes).toMatchObject({
        'http.route': '/v1/things/:id',
        'url.path': '/v1/things/42',
        'http.response.status_code': 200,
      });
      expect(handler.parentSpanContext?.spanId).toBe(serverSpan.spanContext().spanId);
    } finally {
      await app.close();
    }
  });
});
