import { MATRIX_TOPOLOGY, planCapacity, provisionTopology } from '@matrix/messaging';
import { alertRuleMetrics } from '@matrix/testing';
import { bearer, IngressHarness, point } from './ingress-harness';

const limit = (bytes: number) =>
  planCapacity(MATRIX_TOPOLOGY.streams, [], { maxBytes: { SENSOR_RAW: bytes } });

describe('push-ingress when SENSOR_RAW is full (max_bytes reached, discard new)', () => {
  const h = new IngressHarness('storage-full');
  beforeAll(async () => {
    await h.start({ bucket: true });
    await provisionTopology(h.client.jsm, MATRIX_TOPOLOGY, h.client.namespace, { capacity: limit(4096) });
  });
  afterAll(() => h.stop());

  it('answers 503 Storage full with Retry-After: 60, keeps what was stored, and takes the retry once there is room', async () => {
    const key = await h.key();
    const batch = (i: number) =>
      Array.from({ length: 5 }, (_, j) =>
        point({ unixT: Date.parse('2026-11-26T08:00:00Z') + i * 1000 + j }),
      );
    let full: Awaited<ReturnType<IngressHarness['post']>> | undefined;
    let i = 0;
    for (; i < 50 && !full; i++) {
      const response = await h.post(batch(i), bearer(key));
      if (response.status !== 202) full = response;
    }

    expect(full?.status).toBe(503);
    expect(full?.headers.get('retry-after')).toBe('60');
    expect(full?.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(full?.body).toMatchObject({
      title: 'Storage full',
      status: 503,
      detail: expect.stringContaining('The raw readings stream (SENSOR_RAW) is full'),
    });
    const stored = await h.rawMessages();
    expect(stored.length).toBe(i - 1);

    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toMatch(/matrix_ingest_points_total\{outcome="storage_full"[^}]*\} 5\n/);
    // The alert on it (k8s/components/monitoring) names metrics push-ingress exports.
    const alerted = alertRuleMetrics('matrix_ingest_');
    expect(alerted).toEqual(['matrix_ingest_points_total']);
    for (const name of alerted) expect(metrics).toContain(`\n# TYPE ${name} counter`);

    await provisionTopology(h.client.jsm, MATRIX_TOPOLOGY, h.client.namespace, {
      capacity: limit(64 * 1024),
    });
    const retry = await h.post(batch(i - 1), bearer(key));
    expect(retry).toMatchObject({ status: 202, body: { accepted: 5, duplicates: 0 } });
    expect((await h.rawMessages()).length).toBe(i);
  });
});
