import { Injectable } from '@nestjs/common';
import {
  SQL_SINK_COMMANDS,
  type RemovedSqlSinkV1,
  type SetSqlSinkRequestV1,
  type SqlSinkRequestV1,
  type SqlSinkStatusV1,
} from '@matrix/contracts';
import { HandleCommand } from '@matrix/messaging';
import { redactConnectionString, sinkStatus } from './sink-status';
import { SinksRepository } from './sinks.repository';
import { sinkSealContext, SinksService } from './sinks.service';

/** A command's refusal with the code the command bus answers. */
export class SqlSinkError extends Error {
  override readonly name = 'SqlSinkError';
  constructor(
    readonly code: 'NOT_FOUND' | 'UNAVAILABLE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * `sql.sink.{set,show,remove}.v1`: a property's customer-hosted sink (docs/sql.md, Customer-hosted sink).
 * The connection string is sealed before it is stored and never answered back; setting a sink answers at
 * once (`pending`): whether the database can be reached shows in `show` within seconds (`caught-up`,
 * `copying`, or `retrying` with the reason).
 */
@Injectable()
export class SqlSinkCommands {
  constructor(
    private readonly repository: SinksRepository,
    private readonly sinks: SinksService,
  ) {}

  @HandleCommand(SQL_SINK_COMMANDS.set)
  async set({ propId, connectionString }: SetSqlSinkRequestV1): Promise<SqlSinkStatusV1> {
    const box = this.sinks.secretBox;
    if (!box) {
      throw new SqlSinkError(
        'UNAVAILABLE',
        'sql-projector has no MATRIX_SECRET_KEY to seal the connection string with; ask the operator to set it',
      );
    }
    const row = await this.repository.set(
      propId,
      box.seal(connectionString, sinkSealContext(propId)),
      redactConnectionString(connectionString),
    );
    this.sinks.refresh();
    return sinkStatus(row, new Date());
  }

  @HandleCommand(SQL_SINK_COMMANDS.show)
  async show({ propId }: SqlSinkRequestV1): Promise<SqlSinkStatusV1> {
    const row = await this.repository.find(propId);
    if (!row) throw new SqlSinkError('NOT_FOUND', `property ${propId} has no customer-hosted sink`);
    return sinkStatus(row, new Date());
  }

  @HandleCommand(SQL_SINK_COMMANDS.remove)
  async remove({ propId }: SqlSinkRequestV1): Promise<RemovedSqlSinkV1> {
    const target = await this.repository.remove(propId);
    if (target === undefined) {
      throw new SqlSinkError('NOT_FOUND', `property ${propId} has no customer-hosted sink`);
    }
    this.sinks.refresh();
    return { propId, target };
  }
}
