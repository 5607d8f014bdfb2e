import { Module, type DynamicModule } from '@nestjs/common';
import { SQL_PROJECTOR_CONFIG, type SqlProjectorConfig } from '../config/sql-projector.config';
import { ProjectedHorizon } from './projected-horizon';
import { SinksRepository } from './sinks.repository';
import { SinksService } from './sinks.service';
import { SqlSinkCommands } from './sql-sink.commands';

/** Customer-hosted sinks: a property's rows copied into a PostgreSQL the customer hosts (docs/sql.md). */
@Module({})
export class SinksModule {
  static forRoot(config: SqlProjectorConfig): DynamicModule {
    return {
      module: SinksModule,
      providers: [
        { provide: SQL_PROJECTOR_CONFIG, useValue: config },
        ProjectedHorizon,
        SinksRepository,
        SinksService,
        SqlSinkCommands,
      ],
    };
  }
}
