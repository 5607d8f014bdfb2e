import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SqlSinksController } from './sql-sinks.controller';
import { SqlSinksService } from './sql-sinks.service';

/** REST `/v1/properties/{propId}/sql-sink`, forwarded to sql-projector's sink commands (issue 15). */
@Module({
  imports: [RegistryModule],
  controllers: [SqlSinksController],
  providers: [SqlSinksService],
})
export class SqlSinksModule {}
