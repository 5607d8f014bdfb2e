import { Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { DEVICE_SLOTS, NatsClient, PRINCIPALS, type KvBucketSpec } from '@matrix/messaging';
import { JsonLogger } from '@matrix/platform';
import { deviceSlotRows, principalRows, type KvRows } from './kv-rows';
import { KvTableFeed, type KvChange } from './kv-table-feed';
import { BUILDINGS, DEVICE_SLOTS_TABLE, PROPERTIES, type ReadModelTable } from './read-model-tables';
import { ReadModelsRepository } from './read-models.repository';

/**
 * `matrix.device_slots` from the `DEVICE_SLOTS` bucket and `matrix.buildings` / `matrix.properties` from
 * `PRINCIPALS`, the buckets the gateway keeps through its outbox (the projector never reads the
 * gateway's `registry` schema). Each row keeps the KV revision it is at.
 */
@Injectable()
export class KvReadModelsService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly feeds: KvTableFeed[];

  constructor(
    nats: NatsClient,
    private readonly log: JsonLogger,
    private readonly repository: ReadModelsRepository,
  ) {
    this.feeds = [
      this.feed(nats, DEVICE_SLOTS, deviceSlotRows, [DEVICE_SLOTS_TABLE]),
      this.feed(nats, PRINCIPALS, principalRows, [BUILDINGS, PROPERTIES]),
    ];
  }

  onApplicationBootstrap(): void {
    for (const feed of this.feeds) feed.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.feeds.map((feed) => feed.stop()));
  }

  private feed(
    nats: NatsClient,
    bucket: KvBucketSpec,
    rowsOf: (change: KvChange) => KvRows,
    tables: readonly ReadModelTable[],
  ): KvTableFeed {
    return new KvTableFeed(nats, this.log, bucket, {
      apply: async (changes) => {
        const rows = changes.flatMap((change) => {
          const result = rowsOf(change);
          if (result.refused !== undefined) {
            this.log.warn(
              `${bucket.name} entry ${change.key} (revision ${change.revision}) marked removed: ${result.refused}`,
              'ReadModels',
            );
          }
          return result.rows;
        });
        if (rows.length > 0) await this.repository.applyKv(rows);
      },
      loaded: async (present, revision) => {
        for (const table of tables) await this.repository.removeAbsent(table, present, revision);
      },
    });
  }
}
