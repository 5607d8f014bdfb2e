import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ROUTE_LOCK } from '../db';

/**
 * Live delivery reads a log instead of per-subscription queue rows (benchmark of issue #5: ~20 queue row
 * writes per event at 10 subscriptions were the limit):
 * - `router.processed` becomes the routed-message log: a message some subscription matched is stored once
 *   with `pos` (its position in the log) and `subs` (the subscriptions it matched when it was routed);
 *   `router.route()` appends under an advisory lock, so positions become visible in order (a reader that
 *   has seen position N has seen every matched message before N);
 * - `router.cursors`: per subscription, the log position up to which its messages are in batches;
 * - `router.queue` keeps only replayed items (live ones are converted here).
 */
export class RoutedLog1764547200000 implements MigrationInterface {
  name = 'RoutedLog1764547200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table router.processed add column pos bigserial`);
    await runner.query(`alter table router.processed add column subs uuid[] not null default '{}'`);
    await runner.query(`create unique index processed_pos on router.processed (pos)`);
    await runner.query(`
      create table router.cursors (
        subscription_id uuid   primary key references router.subscriptions (id) on delete cascade,
        pos             bigint not null
      )`);
    // Live queue rows become log entries; each subscription's cursor sits before its first one.
    await runner.query(`
      update router.processed p set subs = q.subs
        from (select stream, stream_seq, array_agg(distinct subscription_id) as subs
                from router.queue where not replay group by stream, stream_seq) q
       where q.stream = p.stream and q.stream_seq = p.seq`);
    await runner.query(`
      insert into router.cursors (subscription_id, pos)
      select s.id, coalesce(
               (select min(p.pos) - 1 from router.queue q
                  join router.processed p on p.stream = q.stream and p.seq = q.stream_seq
                 where q.subscription_id = s.id and not q.replay),
               (select max(pos) from router.processed), 0)
        from router.subscriptions s`);
    await runner.query(`delete from router.queue where not replay`);
    await runner.query(`
      create function router.route(p_stream text, p_seqs bigint[], p_bodies text[], p_items integer[],
                                   p_subs text[], p_channel text)
      returns integer language plpgsql as $$
      declare
        routed integer;
        woken text;
      begin
        perform pg_advisory_xact_lock(${ROUTE_LOCK});
        with fresh as (
          insert into router.processed (stream, seq, body, items, subs)
          select p_stream, m.seq, m.body, m.items, string_to_array(m.subs, ',')::uuid[]
            from unnest(p_seqs, p_bodies, p_items, p_subs) with ordinality as m(seq, body, items, subs, o)
           order by m.o
          on conflict do nothing
          returning subs)
        select coalesce(sum(cardinality(f.subs)), 0)::int,
               (select string_agg(distinct s::text, ',') from fresh, unnest(fresh.subs) as s)
          into routed, woken
          from fresh f;
        if routed > 0 then
          perform pg_notify(p_channel, case when length(woken) > 7000 then '*' else woken end);
        end if;
        return routed;
      end $$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`drop function router.route(text, bigint[], text[], integer[], text[], text)`);
    await runner.query(`drop table router.cursors`);
    await runner.query(`alter table router.processed drop column subs`);
    await runner.query(`alter table router.processed drop column pos`);
  }
}
