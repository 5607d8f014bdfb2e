import type { InboundMessage } from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import { projectionLag } from './projection-lag';

const storedSecondsAgo = (seconds: number) =>
  ({ storedAt: new Date(Date.now() - seconds * 1000) }) as InboundMessage<unknown>;

describe('projectionLag', () => {
  it('observes now minus the JetStream timestamp of each message, by projection', async () => {
    const metrics = new MetricsService('sql-projector');
    const lag = projectionLag(metrics, 'matrix_events');
    lag([storedSecondsAgo(40), storedSecondsAgo(100)]);

    const values = (await metrics.registry.getSingleMetric('matrix_projector_lag_seconds')!.get()).values;
    const sample = (name: string, le?: number) =>
      values.find(
        (v) =>
          (v as { metricName?: string }).metricName === name && (le === undefined || v.labels['le'] === le),
      )?.value;
    expect(sample('matrix_projector_lag_seconds_count')).toBe(2);
    expect(sample('matrix_projector_lag_seconds_bucket', 30)).toBe(0);
    expect(sample('matrix_projector_lag_seconds_bucket', 60)).toBe(1);
    expect(sample('matrix_projector_lag_seconds_bucket', 300)).toBe(2);
    expect(values.every((v) => v.labels['projection'] === 'matrix_events')).toBe(true);
  });

  it('observes 0, not a negative lag, for a message stamped ahead of this clock', async () => {
    const metrics = new MetricsService('sql-projector');
    projectionLag(metrics, 'sensor_data')([storedSecondsAgo(-5)]);
    const values = (await metrics.registry.getSingleMetric('matrix_projector_lag_seconds')!.get()).values;
    expect(
      values.find((v) => (v as { metricName?: string }).metricName === 'matrix_projector_lag_seconds_sum')
        ?.value,
    ).toBe(0);
  });
});
