import { readFileSync } from 'node:fs';
import { MATRIX_TOPOLOGY, planCapacity, SENSOR_NORMALISER_RAW, SENSOR_RAW } from '@matrix/messaging';
import { alertRuleGroups, OPERATIONS_DOC, selectedMetrics } from '@matrix/testing';
import { parseAllDocuments } from 'yaml';
import { JetStreamCapacityCollector } from '../src/jetstream-capacity/jetstream-capacity.collector';
import { GatewayHarness } from './gateway-harness';

/** The value of one sample of `/metrics`, by metric name and labels (the service label aside). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text
    .split('\n')
    .find(
      (l) => l.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)),
    );
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the JetStream capacity gauges of matrix-api-gateway', () => {
  const h = new GatewayHarness('capacity');
  beforeAll(() => h.start());
  afterAll(() => h.stop());

  const metrics = async () => (await fetch(`${h.url}/metrics`)).text();

  it("shows a stream's bytes, max_bytes and messages, and a durable's backlog, after a publish", async () => {
    for (let i = 0; i < 3; i++) {
      await h.nats.js.publish(h.nats.namespace.subject('sensor.raw.SMARTCLEAN.k1'), new Uint8Array(300));
    }
    await h.app.get(JetStreamCapacityCollector).refresh();
    const text = await metrics();
    const info = await h.nats.jsm.streams.info(h.nats.namespace.stream(SENSOR_RAW.name));

    const raw = { stream: 'SENSOR_RAW', kind: 'stream' };
    expect(info.state.bytes).toBeGreaterThan(900);
    expect(sample(text, 'matrix_jetstream_stream_bytes', raw)).toBe(info.state.bytes);
    expect(sample(text, 'matrix_jetstream_stream_messages', raw)).toBe(3);
    expect(sample(text, 'matrix_jetstream_stream_max_bytes', raw)).toBe(
      planCapacity(MATRIX_TOPOLOGY.streams, []).maxBytes('SENSOR_RAW'),
    );
    expect(
      sample(text, 'matrix_jetstream_stream_max_bytes', { stream: 'DEVICE_SLOTS', kind: 'kv' }),
    ).toBeGreaterThan(0);
    expect(
      sample(text, 'matrix_jetstream_consumer_pending_messages', {
        stream: 'SENSOR_RAW',
        consumer: SENSOR_NORMALISER_RAW.durable,
      }),
    ).toBe(3);
    expect(sample(text, 'matrix_jetstream_capacity_last_success_timestamp_seconds', {})).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
  });

  it('exports every JetStream metric the alert rules select; the rules parse as PromQL and name no other service', async () => {
    const text = await metrics();
    const rules = alertRuleGroups().flatMap((g) => g.rules);
    expect(rules.map((r) => r.alert)).toEqual([
      'MatrixStreamFilling',
      'MatrixStreamAlmostFull',
      'MatrixStreamFullWithin24h',
      'MatrixIngestRefusedStorageFull',
      'MatrixCapacityMetricsStale',
    ]);
    for (const rule of rules) {
      const { names, valid } = selectedMetrics(rule.expr);
      expect({ alert: rule.alert, valid }).toEqual({ alert: rule.alert, valid: true });
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        // matrix_ingest_* is push-ingress's: test/storage-full.integration-spec.ts there checks those.
        const exporter = name.startsWith('matrix_jetstream_')
          ? 'gateway'
          : name.startsWith('matrix_ingest_')
            ? 'push-ingress'
            : 'none';
        expect({ alert: rule.alert, name, exporter }).not.toEqual({
          alert: rule.alert,
          name,
          exporter: 'none',
        });
        if (exporter === 'gateway') {
          expect({ alert: rule.alert, exported: text.includes(`\n# TYPE ${name} `) }).toEqual({
            alert: rule.alert,
            exported: true,
          });
        }
      }
    }
  });

  it('documents exactly the checked-in rules in docs/operations.md', () => {
    const doc = readFileSync(OPERATIONS_DOC, 'utf8');
    const block = /<!-- alert-rules:start -->\s*```yaml\n([\s\S]*?)```\s*<!-- alert-rules:end -->/.exec(doc);
    expect(block).not.toBeNull();
    const [documented] = parseAllDocuments(block![1]!).map((d) => d.toJS() as { groups: unknown });
    expect(documented?.groups).toEqual(alertRuleGroups());
  });
});
