import { Injectable } from '@nestjs/common';
import { SQL_SINK_COMMANDS, type SqlSinkStatusV1 } from '@matrix/contracts';
import { CommandBus, CommandFailedError, CommandUnavailableError } from '@matrix/messaging';
import type { RegistryAccess } from '../auth/registry-access';
import { DomainError } from '../domain-error';
import { PropertiesService } from '../registry/properties.service';
import { notFound, RegistryError } from '../registry/registry-error';
import { connectionStringOf, sqlSinkView, wasCreated, withoutPasswords } from './sql-sink-inputs';

/** Seconds a caller is asked to wait before retrying when sql-projector did not answer. */
const RETRY_AFTER_SECONDS = 5;

/**
 * REST v1 `/v1/properties/{propId}/sql-sink`: a property admin's way to the customer-hosted sink that
 * sql-projector keeps (docs/sql.md, Customer-hosted sink). The gateway checks the property is the
 * caller's (404 otherwise) and the admin role (403), then sends sql-projector's own command
 * (`sql.sink.{set,show,remove}.v1`), which seals and owns the connection string. The gateway keeps
 * nothing: the connection string passes through to sql-projector only, never logged, never answered.
 */
@Injectable()
export class SqlSinksService {
  constructor(
    private readonly commands: CommandBus,
    private readonly properties: PropertiesService,
  ) {}

  /** The property `propId` if the caller is an admin of it; another tenant's is NOT_FOUND. */
  private async admin(access: RegistryAccess, propId: string): Promise<void> {
    const property = await this.properties.read(access, propId);
    access.check('admin', { orgId: property.orgId, propId }, () => notFound('property', propId));
  }

  /** Points the property's sink at the body's connection string; `created` when it had none. */
  async set(
    access: RegistryAccess,
    propId: string,
    body: unknown,
  ): Promise<{ created: boolean; sink: SqlSinkStatusV1 }> {
    const connectionString = connectionStringOf(body);
    await this.admin(access, propId);
    const status = await this.send(propId, 'set', () =>
      this.commands.request(SQL_SINK_COMMANDS.set, { propId, connectionString }),
    );
    return { created: wasCreated(status), sink: sqlSinkView(status) };
  }

  async show(access: RegistryAccess, propId: string): Promise<SqlSinkStatusV1> {
    await this.admin(access, propId);
    const status = await this.send(propId, 'show', () =>
      this.commands.request(SQL_SINK_COMMANDS.show, { propId }),
    );
    return sqlSinkView(status);
  }

  async remove(access: RegistryAccess, propId: string): Promise<void> {
    await this.admin(access, propId);
    await this.send(propId, 'remove', () => this.commands.request(SQL_SINK_COMMANDS.remove, { propId }));
  }

  /** sql-projector's refusals as REST problems; its silence as 503 with Retry-After. */
  private async send<T>(
    propId: string,
    verb: 'set' | 'show' | 'remove',
    request: () => Promise<T>,
  ): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw sqlSinkError(error, propId, verb);
    }
  }
}

/**
 * A sink command's failure as a REST problem (sql-projector's codes: NOT_FOUND, INVALID_REQUEST,
 * UNAVAILABLE). Messages are the gateway's own where the code says it all; the one passed on (an
 * INVALID_REQUEST's problems) loses any password first.
 */
export function sqlSinkError(error: unknown, propId: string, verb: 'set' | 'show' | 'remove'): unknown {
  if (error instanceof CommandUnavailableError) {
    return new DomainError(
      'UNAVAILABLE',
      'sql-projector did not answer (it keeps the SQL sinks); try again',
      [],
      RETRY_AFTER_SECONDS,
      { cause: error },
    );
  }
  if (!(error instanceof CommandFailedError)) return error;
  switch (error.code) {
    case 'NOT_FOUND':
      return new RegistryError('NOT_FOUND', `property ${propId} has no SQL sink`);
    case 'INVALID_REQUEST':
      return new RegistryError('INVALID', 'sql-projector refused the request', [
        withoutPasswords(error.message),
      ]);
    case 'UNAVAILABLE':
      // set without MATRIX_SECRET_KEY on sql-projector: an operator must act, retrying soon will not help.
      return new DomainError(
        'UNAVAILABLE',
        'sql-projector cannot store connection strings now (it has no key to seal them with); ask the operator',
        [],
        undefined,
        { cause: error },
      );
    default:
      return new DomainError(
        'UNAVAILABLE',
        `sql-projector could not ${verb} the SQL sink (${error.code}); try again`,
        [],
        RETRY_AFTER_SECONDS,
        { cause: error },
      );
  }
}
