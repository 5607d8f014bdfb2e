import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@matrix/messaging';
import { PersistenceModule } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import type { SqlProjectorConfig } from './config/sql-projector.config';
import { CompactionModule } from './compaction/compaction.module';
import { MatrixEventsModule } from './matrix-events/matrix-events.module';
import { persistenceOptions } from './persistence-options';
import { ReadModelsModule } from './read-models/read-models.module';
import { RetentionModule } from './retention/retention.module';
import { SensorDataModule } from './sensor-data/sensor-data.module';
import { SinksModule } from './sinks/sinks.module';
import { TenantRolesModule } from './tenant-roles/tenant-roles.module';

@Module({})
export class AppModule {
  static forRoot(config: SqlProjectorConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CompactionModule.forRoot(config),
        MatrixEventsModule,
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        PersistenceModule.forRoot(persistenceOptions(config)),
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
        ReadModelsModule,
        RetentionModule.forRoot(config),
        SensorDataModule,
        SinksModule.forRoot(config),
        TenantRolesModule.forRoot(config),
      ],
    };
  }
}
