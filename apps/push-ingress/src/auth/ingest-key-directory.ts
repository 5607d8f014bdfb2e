import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { parseIngestKeyEntry, type IngestKeyEntry } from '@matrix/contracts';
import { INGEST_KEYS, KvDirectory, NatsClient } from '@matrix/messaging';
import { HealthRegistry, JsonLogger } from '@matrix/platform';
import { PUSH_INGRESS_CONFIG, type PushIngressConfig } from '../config/push-ingress.config';

/**
 * The ingest keys in memory: key id → entry (building, provider, SHA-256 of the secret), kept current by
 * watching the `INGEST_KEYS` KV bucket (written by matrix-api-gateway's outbox relay), so authenticating a
 * batch costs a Map lookup and one hash, and no NATS or HTTP call. A key the gateway revokes is deleted
 * from the bucket and leaves the map as soon as the watch delivers the delete.
 *
 * Same life cycle as sensor-normaliser's DeviceSlotDirectory (`KvDirectory`): until the initial values are
 * loaded `loaded` is false and readiness reports it (push-ingress answers 503 meanwhile rather than
 * refusing valid keys); after a NATS reconnect the map is rebuilt from a fresh watch, so a revocation
 * missed while disconnected is not kept.
 *
 * With `INGEST_AUTH=disabled` the directory does nothing and is not part of readiness.
 */
@Injectable()
export class IngestKeyDirectory
  extends KvDirectory<IngestKeyEntry>
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly enabled: boolean;

  constructor(
    client: NatsClient,
    logger: JsonLogger,
    health: HealthRegistry,
    @Inject(PUSH_INGRESS_CONFIG) config: PushIngressConfig,
  ) {
    super(client, logger, {
      bucket: INGEST_KEYS,
      label: 'ingest key directory',
      noun: 'keys',
      parse: parseIngestKeyEntry,
      refusedMeans: 'treated as unknown',
    });
    this.enabled = config.ingest.auth === 'required';
    if (this.enabled) health.register('ingest-key-directory', async () => this.assertLoaded());
  }

  /** The key with this id, if it exists and is not revoked. */
  override lookup(id: string): IngestKeyEntry | undefined {
    return super.lookup(id);
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.enabled) await this.stop();
  }
}
