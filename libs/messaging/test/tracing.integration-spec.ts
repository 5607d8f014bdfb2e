import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { activeTraceHeaders, inSpan, setTracingEnabled, SpanKind } from '@matrix/platform';
import { expectEventually } from '@matrix/testing';
import { Outcome } from '../src/lib/consumer/outcome';
import { JetStreamPublisher } from '../src/lib/publisher/jetstream-publisher';
import { anyJson, DLQ_STREAM, MessagingHarness, WORK, workConsumer } from './messaging-harness';

/*
 * W3C trace context across NATS on a real server: with tracing off a publish adds no `traceparent` (a given
 * one passes through); with tracing on it is a PRODUCER span (under the active span, or under a
 * `traceparent` given in its headers) whose context the message carries, and a consumer batch is one
 * CONSUMER span under the first sampled message's context, linked to the others', the handler's work in it.
 */

const BATCH = workConsumer('tbatch');
const harness = new MessagingHarness('tracing', { streams: [WORK, DLQ_STREAM], consumers: [BATCH] });
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
let publisher: JetStreamPublisher;

const TRACE_A = 'a'.repeat(32);
const TRACE_B = 'b'.repeat(32);
const parentHeader = (traceId: string, spanId: string, sampled: boolean) =>
  `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  await harness.start();
  publisher = new JetStreamPublisher(harness.client);
});
afterAll(async () => {
  setTracingEnabled(false);
  await harness.stop();
  await provider.shutdown();
  context.disable();
});
beforeEach(() => exporter.reset());

/** The `traceparent` stored with the message at `seq` of WORK, or undefined. */
async function storedTraceparent(seq: number): Promise<string | undefined> {
  const message = await harness.client.jsm.streams.getMessage(harness.client.namespace.stream(WORK.name), {
    seq,
  });
  return message?.header?.get('traceparent') || undefined;
}

describe('trace context on NATS messages', () => {
  it('with tracing off adds none and passes a given traceparent through untouched', async () => {
    setTracingEnabled(false);
    const given = parentHeader(TRACE_A, '1'.repeat(16), true);
    const plain = await publisher.publish({ subject: 'work.other.x', payload: {}, msgId: 'off-1' });
    const passed = await publisher.publish({
      subject: 'work.other.x',
      payload: {},
      msgId: 'off-2',
      headers: { traceparent: given },
    });
    expect(await storedTraceparent(plain.seq)).toBeUndefined();
    expect(await storedTraceparent(passed.seq)).toBe(given);
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('with tracing on publishes in a PRODUCER span under the active span or a given traceparent', async () => {
    setTracingEnabled(true);
    const underRequest = await inSpan('request', { kind: SpanKind.SERVER }, () =>
      publisher.publish({ subject: 'work.other.y', payload: { n: 1 }, msgId: 'on-1' }),
    );
    const given = parentHeader(TRACE_B, '2'.repeat(16), true);
    const underGiven = await publisher.publish({
      subject: 'work.other.y',
      payload: { n: 2 },
      msgId: 'on-2',
      headers: { traceparent: given, tracestate: 'stale=1' },
    });
    const spans = exporter.getFinishedSpans();
    const request = spans.find((s) => s.name === 'request')!;
    const [first, second] = spans.filter((s) => s.kind === SpanKind.PRODUCER);
    expect([first, second].map((s) => [s!.name, s!.parentSpanContext?.spanId])).toEqual([
      ['send work', request.spanContext().spanId],
      ['send work', '2'.repeat(16)],
    ]);
    expect(second!.spanContext().traceId).toBe(TRACE_B);
    expect(first!.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.destination.name': 'work.other.y',
      'messaging.message.id': 'on-1',
      'messaging.nats.stream.sequence': underRequest.seq,
    });
    expect(await storedTraceparent(underRequest.seq)).toBe(
      parentHeader(first!.spanContext().traceId, first!.spanContext().spanId, true),
    );
    expect(await storedTraceparent(underGiven.seq)).toBe(
      parentHeader(TRACE_B, second!.spanContext().spanId, true),
    );
  });

  it('consumes a batch in one CONSUMER span under the first sampled message, linked to the others', async () => {
    // Published with tracing off, so each message carries exactly the traceparent given here.
    setTracingEnabled(false);
    const contexts = [
      parentHeader(TRACE_A, '3'.repeat(16), false),
      parentHeader(TRACE_B, '4'.repeat(16), true),
      undefined,
      parentHeader(TRACE_A, '5'.repeat(16), true),
    ];
    await publisher.publishAll(
      contexts.map((traceparent, i) => ({
        subject: 'work.tbatch.k',
        payload: { n: i },
        msgId: `batch-${i}`,
        ...(traceparent ? { headers: { traceparent } } : {}),
      })),
    );
    setTracingEnabled(true);
    const seen: (Record<string, string> | undefined)[] = [];
    harness.runBatch({
      spec: BATCH,
      decode: anyJson,
      maxMessages: 4,
      maxWaitMs: 600_000,
      handle: async (messages) => {
        seen.push(activeTraceHeaders());
        return messages.map((_, i) => (i === 2 ? Outcome.skipped('third') : Outcome.done()));
      },
    });
    const batch = await expectEventually(() => {
      const found = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.CONSUMER);
      expect(found).toHaveLength(1);
      return found[0]!;
    });
    expect(batch.name).toBe('process tbatch');
    expect(batch.spanContext().traceId).toBe(TRACE_B);
    expect(batch.parentSpanContext?.spanId).toBe('4'.repeat(16));
    expect(batch.links.map((l) => [l.context.spanId, l.context.traceFlags])).toEqual([
      ['3'.repeat(16), TraceFlags.NONE],
      ['5'.repeat(16), TraceFlags.SAMPLED],
    ]);
    expect(batch.attributes).toMatchObject({
      'messaging.batch.message_count': 4,
      'messaging.consumer.group.name': 'tbatch',
      'matrix.outcome.done': 3,
      'matrix.outcome.skipped': 1,
    });
    expect(seen).toEqual([{ traceparent: parentHeader(TRACE_B, batch.spanContext().spanId, true) }]);
  });
});
