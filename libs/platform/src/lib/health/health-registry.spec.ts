import { HealthRegistry } from './health-registry';

describe('HealthRegistry', () => {
  it('is ready when every check passes and says which one fails otherwise', async () => {
    const registry = new HealthRegistry();
    registry.register('nats', async () => undefined);
    expect(await registry.readiness()).toEqual({ ready: true, checks: { nats: { ok: true } } });

    registry.register('postgres', async () => {
      throw new Error('connection refused');
    });
    expect(await registry.readiness()).toEqual({
      ready: false,
      checks: { nats: { ok: true }, postgres: { ok: false, error: 'connection refused' } },
    });
  });

  it('fails a check that does not answer in time', async () => {
    const registry = new HealthRegistry();
    registry.register('slow', () => new Promise(() => undefined));
    const report = await registry.readiness(20);
    expect(report.checks['slow']).toEqual({ ok: false, error: 'no answer within 20 ms' });
  });

  it('reports not ready once shutting down', async () => {
    const registry = new HealthRegistry();
    registry.markShuttingDown();
    expect((await registry.readiness()).ready).toBe(false);
  });
});
