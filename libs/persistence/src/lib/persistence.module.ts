import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { HealthRegistry } from '@matrix/platform';
import { DataSource } from 'typeorm';
import { createDataSource, type PersistenceOptions } from './data-source';

/** The owning service's DataSource, checked by readiness and closed last on shutdown. */
@Global()
@Module({})
export class PersistenceModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly health: HealthRegistry,
    private readonly dataSource: DataSource,
  ) {}

  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      providers: [{ provide: DataSource, useFactory: () => createDataSource(options).initialize() }],
      exports: [DataSource],
    };
  }

  onModuleInit(): void {
    this.health.register('postgres', async () => {
      await this.dataSource.query('select 1');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
