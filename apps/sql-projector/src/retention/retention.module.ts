import { Module, type DynamicModule } from '@nestjs/common';
import type { SqlProjectorConfig } from '../config/sql-projector.config';
import { RetentionRepository } from './retention.repository';
import { RETENTION_OPTIONS, RetentionService } from './retention.service';

/** Retention of `matrix.sensor_data`, `matrix.events` and `matrix.sensor_data_15m` (docs/sql.md, Retention). */
@Module({})
export class RetentionModule {
  static forRoot(config: SqlProjectorConfig): DynamicModule {
    return {
      module: RetentionModule,
      providers: [
        { provide: RETENTION_OPTIONS, useValue: config.retention },
        RetentionRepository,
        RetentionService,
      ],
    };
  }
}
