import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { type DeviceSlotEntry, parseDeviceSlotEntry } from '@matrix/contracts';
import { DEVICE_SLOTS, KvDirectory, NatsClient } from '@matrix/messaging';
import { HealthRegistry, JsonLogger } from '@matrix/platform';

/**
 * The device-slot directory in memory: alias → slot, kept current by watching the `DEVICE_SLOTS` KV bucket
 * (written by matrix-api-gateway's outbox relay), so enriching a reading costs a Map lookup and no NATS or
 * HTTP call. Until the initial values are loaded it has no `version` and readiness reports it; after a
 * NATS reconnect it is rebuilt from a fresh watch (see `KvDirectory`).
 */
@Injectable()
export class DeviceSlotDirectory
  extends KvDirectory<DeviceSlotEntry>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  constructor(client: NatsClient, logger: JsonLogger, health: HealthRegistry) {
    super(client, logger, {
      bucket: DEVICE_SLOTS,
      label: 'device-slot directory',
      noun: 'slots',
      parse: parseDeviceSlotEntry,
      refusedMeans: 'treated as not in the registry',
    });
    health.register('device-slot-directory', async () => this.assertLoaded());
  }

  /** The slot whose alias is `alias` (a reading's `DEVID`), if the registry has one. */
  override lookup(alias: string): DeviceSlotEntry | undefined {
    return super.lookup(alias);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.stop();
  }
}
