import { Module, type DynamicModule } from '@nestjs/common';
import type { SqlProjectorConfig } from '../config/sql-projector.config';
import { CompactionRepository } from './compaction.repository';
import { COMPACTION_OPTIONS, CompactionService } from './compaction.service';

/** Compaction of closed partitions of `matrix.sensor_data` (docs/sql.md, Index compaction). */
@Module({})
export class CompactionModule {
  static forRoot(config: SqlProjectorConfig): DynamicModule {
    return {
      module: CompactionModule,
      providers: [
        { provide: COMPACTION_OPTIONS, useValue: config.compaction },
        CompactionRepository,
        CompactionService,
      ],
    };
  }
}
