import { ConfigError } from '@matrix/platform';
import { mebibytes, provision } from './provision.command';

describe('matrix-cli provision', () => {
  it('refuses overrides of streams that do not exist as a configuration error, before connecting', async () => {
    const attempt = provision({ NATS_URL: 'nats://127.0.0.1:1', NATS_STREAM_MAX_BYTES: 'SENSOR_RAWW=1GB' });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/max_bytes for "SENSOR_RAWW": no such stream or KV bucket/);
  });

  it('prints sizes in MiB', () => {
    expect(mebibytes(7 * 1024 ** 3)).toBe('7168.0 MiB');
  });
});
