import { Injectable } from '@nestjs/common';
import { Database, isUniqueViolation, type Transaction } from '@matrix/persistence';
import { TENANT_GROUP_ROLE } from '@matrix/sensor-store';
import { scramVerifier } from './scram-verifier';
import { newTenantRoleName } from './tenant-credentials';

/** Most sessions one tenant role may hold at once (`CONNECTION LIMIT`), so one tenant cannot take the server's. */
export const TENANT_CONNECTION_LIMIT = 10;

/** Why a tenant-role change was refused: the command answers with this code. */
export class TenantRoleError extends Error {
  override readonly name = 'TenantRoleError';
  constructor(
    readonly code: 'CONFLICT' | 'NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

/** Role names are generated (`matrix_t_<hex>`), verifiers are base64 and `$:`: quoting is belt and braces. */
const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Creates, re-passwords and drops the tenant login roles (members of `matrix_tenant`) and their rows in
 * `matrix.tenant_roles`, each in one transaction (role DDL is transactional in PostgreSQL). Needs a
 * database role with CREATEROLE (and pg_signal_backend, or superuser, to end a tenant's sessions).
 */
/**
 * Session defaults of every tenant login role (docs/sql.md "Access"). `work_mem` 16 MB (the server's
 * default is 4 MB): the documented per-zone aggregates of a building-day (~43,000 rows at 10 million rows a
 * month) sort in memory instead of spilling to disk (docs/benchmarks.md, SQL); at most 10 sessions a tenant.
 * `parallel_setup_cost` 200 (the server's default is 1000): that aggregate (planned at ~5,800) runs on
 * parallel workers instead of one process, so its reads and its per-row work are shared (docs/benchmarks.md,
 * SQL); a query of a few thousand rows stays serial, and when the server's workers are all busy a query runs
 * serially rather than waiting. `jit` off: compiling costs ~0.3 s on the month's aggregate of a building
 * (~1.2 million rows), which ran 0.9 s without it and 1.2 s with it, and once a session has compiled a
 * query each later parallel worker of that session loads the JIT library first (the building-day's ~45 ms
 * aggregate took ~75 ms after; docs/benchmarks.md, SQL).
 */
export const TENANT_ROLE_SETTINGS = [
  `statement_timeout = '60s'`,
  `idle_in_transaction_session_timeout = '60s'`,
  `temp_file_limit = '1GB'`,
  `work_mem = '16MB'`,
  `parallel_setup_cost = 200`,
  `jit = off`,
] as const;

@Injectable()
export class TenantRolesRepository {
  constructor(private readonly db: Database) {}

  /** A new login role for `propId` with `password`; CONFLICT when the property has one. */
  async create(propId: string, password: string): Promise<string> {
    const role = newTenantRoleName();
    try {
      await this.db.transaction(async (tx) => {
        // First, so a concurrent create for the same property waits here and then conflicts.
        await tx.query(`insert into matrix.tenant_roles (role_name, prop_id) values ($1, $2)`, [
          role,
          propId,
        ]);
        await tx.query(
          `create role ${ident(role)} login inherit nosuperuser nocreatedb nocreaterole noreplication nobypassrls` +
            ` connection limit ${TENANT_CONNECTION_LIMIT} password ${literal(scramVerifier(password))}` +
            ` in role ${TENANT_GROUP_ROLE}`,
        );
        // Defaults that keep one tenant's queries from holding the shared database: a runaway query or
        // an open transaction ends (a tenant may lower these, or raise them in its session), temporary
        // files are capped (only a superuser may change that).
        for (const setting of TENANT_ROLE_SETTINGS) {
          await tx.query(`alter role ${ident(role)} set ${setting}`);
        }
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new TenantRoleError(
          'CONFLICT',
          `property ${propId} has a tenant role already: rotate its password or revoke it first`,
        );
      }
      throw error;
    }
    return role;
  }

  /** Sets a new password on `propId`'s role and answers the role; NOT_FOUND when it has none. */
  async rotate(propId: string, password: string): Promise<string> {
    return this.db.transaction(async (tx) => {
      const role = await this.roleOf(
        tx,
        `update matrix.tenant_roles set rotated_at = now() where prop_id = $1 returning role_name`,
        [propId],
        propId,
      );
      await tx.query(`alter role ${ident(role)} password ${literal(scramVerifier(password))}`);
      return role;
    });
  }

  /**
   * Drops `propId`'s role (which must be `expected` when given) and its row; answers the role and its
   * oid (its open sessions are still to be ended: pg_stat_activity names them by oid once it is dropped).
   */
  async revoke(propId: string, expected?: string): Promise<{ role: string; oid: number | null }> {
    return this.db.transaction(async (tx) => {
      const role = await this.roleOf(
        tx,
        `delete from matrix.tenant_roles where prop_id = $1 and ($2::text is null or role_name = $2)
         returning role_name`,
        [propId, expected ?? null],
        propId,
      );
      const [found] = await tx.query<{ oid: number }>(
        `select oid::int as oid from pg_roles where rolname = $1`,
        [role],
      );
      await tx.query(`drop role if exists ${ident(role)}`);
      return { role, oid: found?.oid ?? null };
    });
  }

  /** Ends every session of the role with this oid (not transactional: run after the commit); answers how many. */
  async endSessions(oid: number): Promise<number> {
    const [row] = await this.db.query<{ ended: number }>(
      `select count(*) filter (where pg_terminate_backend(pid))::int as ended
         from pg_stat_activity where usesysid = $1 and pid <> pg_backend_pid()`,
      [oid],
    );
    return row?.ended ?? 0;
  }

  /** The oid of `role` (null: no such role). */
  async oidOf(role: string): Promise<number | null> {
    const [row] = await this.db.query<{ oid: number }>(
      `select oid::int as oid from pg_roles where rolname = $1`,
      [role],
    );
    return row?.oid ?? null;
  }

  private async roleOf(tx: Transaction, text: string, values: unknown[], propId: string): Promise<string> {
    const [row] = await tx.query<{ role_name: string }>(text, values);
    if (!row) throw new TenantRoleError('NOT_FOUND', `property ${propId} has no such tenant role`);
    return row.role_name;
  }
}
