import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The group role every tenant login role is a member of; it holds the grants (docs/sql.md, Access). */
export const TENANT_GROUP_ROLE = 'matrix_tenant';

/**
 * Per-tenant read-only access to the dedicated database (issue 15, part 4):
 *
 * - `matrix_tenant` (NOLOGIN): USAGE on schema `matrix` and SELECT on the customer-visible tables, nothing
 *   else. Roles are cluster-wide, so it is created only when missing (another database of the cluster
 *   may have created it); its grants are per database.
 * - `matrix.tenant_roles`: login role → property. Owned by sql-projector; tenants have no privilege on it.
 * - `matrix.tenant_property()`: the property of the session's login role (`session_user`, which a client
 *   cannot change: SET ROLE changes `current_user` only, and SET SESSION AUTHORIZATION needs a
 *   superuser), null for any other role. SECURITY DEFINER so tenants read their row without a grant on
 *   the table; STABLE and called as `(select matrix.tenant_property())`, so a query evaluates it once (an
 *   InitPlan) and compares a constant per row. No GUC is involved, so no setting widens what a session sees.
 * - `matrix.apply_tenant_policy(table, property_column)`: puts a table (or view) under the tenant policy —
 *   one line for every customer-visible table added later, e.g. `matrix.events` (`prop_id`).
 *
 * Row-level security is enabled, not forced: the owner (the platform's role, which runs sql-projector and
 * the gateway) bypasses it, as does a superuser; any other role without a policy sees no rows.
 */
export class TenantAccess1766200000100 implements MigrationInterface {
  name = 'TenantAccess1766200000100';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      do $$ begin
        create role ${TENANT_GROUP_ROLE} nologin;
      exception when duplicate_object or unique_violation then
        -- created by another database of this cluster (or concurrently): roles are cluster-wide
        null;
      end $$`);
    await runner.query(`grant usage on schema matrix to ${TENANT_GROUP_ROLE}`);
    await runner.query(`
      create table matrix.tenant_roles (
        role_name  text        primary key,
        prop_id    text        not null unique,
        created_at timestamptz not null default now(),
        rotated_at timestamptz
      )`);
    await runner.query(`revoke all on matrix.tenant_roles from public`);
    await runner.query(
      `comment on table matrix.tenant_roles is 'Tenant login role (member of ${TENANT_GROUP_ROLE}) per property; written by sql-projector, not readable by tenants'`,
    );
    await runner.query(`
      create function matrix.tenant_property() returns text
      language sql stable security definer
      set search_path = pg_catalog, pg_temp
      as $$ select prop_id from matrix.tenant_roles where role_name = session_user $$`);
    await runner.query(`revoke all on function matrix.tenant_property() from public`);
    await runner.query(`grant execute on function matrix.tenant_property() to ${TENANT_GROUP_ROLE}`);
    await runner.query(
      `comment on function matrix.tenant_property() is 'Property whose rows the session''s tenant role may read (null: not a tenant role)'`,
    );
    await runner.query(`
      create function matrix.apply_tenant_policy(target regclass, property_column name) returns void
      language plpgsql as $$
      declare
        kind "char" := (select relkind from pg_class where oid = target);
      begin
        if kind = 'v' then
          -- A view reads its tables as the querying tenant, so their policies apply; the barrier keeps a
          -- tenant's own functions from seeing rows the view's conditions drop.
          if property_column is not null then
            raise exception 'apply_tenant_policy(%): a view is restricted by its tables'' policies; pass null as property_column', target;
          end if;
          execute format('alter view %s set (security_invoker = true, security_barrier = true)', target);
        elsif kind in ('r', 'p') then
          if property_column is null then
            raise exception 'apply_tenant_policy(%): name the column that holds the property id', target;
          end if;
          execute format('alter table %s enable row level security', target);
          execute format('drop policy if exists tenant_property on %s', target);
          execute format(
            'create policy tenant_property on %s for select to ${TENANT_GROUP_ROLE} using (%I = (select matrix.tenant_property()))',
            target, property_column);
        else
          raise exception 'apply_tenant_policy(%): not a table or view', target;
        end if;
        execute format('grant select on %s to ${TENANT_GROUP_ROLE}', target);
      end $$`);
    await runner.query(`revoke all on function matrix.apply_tenant_policy(regclass, name) from public`);
    await runner.query(
      `comment on function matrix.apply_tenant_policy(regclass, name) is 'Makes a customer-visible table readable by ${TENANT_GROUP_ROLE}, row by row for the tenant''s property (a view: security_invoker, its tables'' policies apply)'`,
    );
    // Tenants may use the schema: the platform's own functions are not theirs to call.
    await runner.query(`revoke all on function matrix.ensure_sensor_data_partition(timestamptz) from public`);
    await runner.query(
      `revoke all on function matrix.rebuild_sensor_data_15m(timestamptz, timestamptz) from public`,
    );
    await runner.query(`select matrix.apply_tenant_policy('matrix.sensor_data', 'propid')`);
    await runner.query(`select matrix.apply_tenant_policy('matrix.sensor_data_15m', 'propid')`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['matrix.sensor_data', 'matrix.sensor_data_15m']) {
      await runner.query(`revoke select on ${table} from ${TENANT_GROUP_ROLE}`);
      await runner.query(`drop policy if exists tenant_property on ${table}`);
      await runner.query(`alter table ${table} disable row level security`);
    }
    await runner.query(`drop function matrix.apply_tenant_policy(regclass, name)`);
    await runner.query(`drop function matrix.tenant_property()`);
    await runner.query(`drop table matrix.tenant_roles`);
    await runner.query(`revoke usage on schema matrix from ${TENANT_GROUP_ROLE}`);
    // The group role stays: other databases of the cluster may use it.
  }
}
