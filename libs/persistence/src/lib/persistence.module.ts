import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthRegistry, JsonLogger } from '@matrix/platform';
import { Database } from './database';
import type { PersistenceOptions } from './data-source';

/**
 * The owning service's {@link Database} (its `pg` pool), checked by readiness and closed last on
 * shutdown. Migrations run before the service starts (`runMigrations`), not here.
 */
@Global()
@Module({})
export class PersistenceModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly health: HealthRegistry,
    private readonly database: Database,
  ) {}

  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [
        {
          provide: Database,
          useFactory: (logger: JsonLogger) => Database.create(options, logger),
          inject: [JsonLogger],
        },
      ],
      exports: [Database],
    };
  }

  onModuleInit(): void {
    this.health.register('postgres', async () => {
      await this.database.query('select 1');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
