import { JsonLogger } from './json-logger';
import { runWithLogContext } from './log-context';

describe('JsonLogger', () => {
  it('writes one JSON object per line with service, level and context, above its level only', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('push-ingress', 'info', (line) => lines.push(line));
    logger.debug('hidden', 'Ctx');
    logger.log('hello', 'Ingest');
    logger.error('failed', 'Error: x\n    at y', 'Ingest');

    const entries = lines.map((line) => JSON.parse(line));
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      level: 'info',
      service: 'push-ingress',
      context: 'Ingest',
      msg: 'hello',
    });
    expect(entries[1]).toMatchObject({ level: 'error', msg: 'failed', stack: 'Error: x\n    at y' });
    expect(Date.parse(entries[0].time)).not.toBeNaN();
  });

  it('adds the request id of the work in progress, and none outside it', async () => {
    const lines: string[] = [];
    const logger = new JsonLogger('push-ingress', 'info', (line) => lines.push(line));
    await runWithLogContext({ requestId: 'req-7' }, async () => {
      await Promise.resolve();
      logger.log('inside', 'Ingest');
    });
    logger.log('outside', 'Ingest');

    const entries = lines.map((line) => JSON.parse(line));
    expect(entries[0]).toMatchObject({ msg: 'inside', requestId: 'req-7' });
    expect(entries[1].msg).toBe('outside');
    expect(entries[1]).not.toHaveProperty('requestId');
  });
});
