import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PRINCIPALS KV bucket (building PID or PropId → `{type, org, property}`), which event-router scopes
 * push subscriptions with: triggers on `registry.buildings` and `registry.properties` write its outbox rows
 * in the writing transaction (whatever writes them: REST, the bootstrap command, SQL), taking the outbox's
 * ordering lock as `Outbox` does; the existing rows are put once here.
 */
export class PrincipalsDirectory1764547200001 implements MigrationInterface {
  name = 'PrincipalsDirectory1764547200001';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create function registry.outbox_principal(p_kind text, p_key text, p_value jsonb) returns void
      language plpgsql as $$
      begin
        perform pg_advisory_xact_lock(hashtext('registry.outbox'));
        perform pg_notify('registry_outbox', '');
        insert into registry.outbox (kind, subject, payload, bucket) values (p_kind, p_key, p_value, 'PRINCIPALS');
      end $$`);
    await runner.query(`
      create function registry.buildings_principal() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          perform registry.outbox_principal('kv-delete', old.pid, null);
          return old;
        end if;
        perform registry.outbox_principal('kv-put', new.pid, jsonb_build_object(
          'type', 'building', 'property', new.prop_id,
          'org', (select org_id from registry.properties where prop_id = new.prop_id)));
        return new;
      end $$`);
    await runner.query(`
      create trigger buildings_principal after insert or delete or update of prop_id on registry.buildings
      for each row execute function registry.buildings_principal()`);
    await runner.query(`
      create function registry.properties_principal() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          perform registry.outbox_principal('kv-delete', old.prop_id, null);
          return old;
        end if;
        perform registry.outbox_principal('kv-put', new.prop_id, jsonb_build_object(
          'type', 'property', 'org', new.org_id, 'property', new.prop_id));
        if tg_op = 'UPDATE' then
          -- Its buildings moved with it.
          perform registry.outbox_principal('kv-put', b.pid, jsonb_build_object(
                    'type', 'building', 'org', new.org_id, 'property', new.prop_id))
             from registry.buildings b where b.prop_id = new.prop_id;
        end if;
        return new;
      end $$`);
    await runner.query(`
      create trigger properties_principal after insert or delete or update of org_id on registry.properties
      for each row execute function registry.properties_principal()`);
    await runner.query(`
      insert into registry.outbox (kind, subject, payload, bucket)
      select 'kv-put', prop_id, jsonb_build_object('type', 'property', 'org', org_id, 'property', prop_id), 'PRINCIPALS'
        from registry.properties order by prop_id`);
    await runner.query(`
      insert into registry.outbox (kind, subject, payload, bucket)
      select 'kv-put', b.pid, jsonb_build_object('type', 'building', 'org', p.org_id, 'property', b.prop_id), 'PRINCIPALS'
        from registry.buildings b join registry.properties p using (prop_id) order by b.pid`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop trigger properties_principal on registry.properties`);
    await runner.query(`drop trigger buildings_principal on registry.buildings`);
    await runner.query(`drop function registry.properties_principal()`);
    await runner.query(`drop function registry.buildings_principal()`);
    await runner.query(`drop function registry.outbox_principal(text, text, jsonb)`);
  }
}
