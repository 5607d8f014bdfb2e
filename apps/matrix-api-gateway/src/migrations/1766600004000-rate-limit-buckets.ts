import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The rate limit shared by all gateway replicas (docs/authentication.md, Rate limit): one row per access key
 * holding its bucket as a GCRA "theoretical arrival time" in epoch milliseconds, and the function that takes up
 * to `want` tokens from it atomically (the row is locked for the statement).
 *
 * Unlogged: a bucket is state of the last seconds, not data. PostgreSQL empties the table after a crash (every
 * bucket starts full again) and does not replicate it, which is what a rate limit needs; it saves the WAL
 * write of every lease.
 */
export class RateLimitBuckets1766600004000 implements MigrationInterface {
  name = 'RateLimitBuckets1766600004000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      create unlogged table if not exists registry.rate_limit_buckets (
        access_key text primary key,
        tat_ms double precision not null
      )`);
    // tat: the time at which the bucket would be full again. Tokens available at `now`:
    // burst - (max(tat, now) - now) / interval. Taking k moves tat on by k intervals.
    await runner.query(`
      create or replace function registry.take_rate_tokens(
        p_key text, p_want integer, p_per_second double precision, p_burst integer, p_now_ms double precision)
      returns table (granted integer, retry_after_ms double precision)
      language plpgsql as $fn$
      declare
        v_interval double precision := 1000.0 / p_per_second;
        v_tat double precision;
        v_base double precision;
        v_granted integer;
      begin
        select b.tat_ms into v_tat from registry.rate_limit_buckets b where b.access_key = p_key for update;
        if not found then
          insert into registry.rate_limit_buckets (access_key, tat_ms) values (p_key, p_now_ms)
            on conflict (access_key) do nothing;
          select b.tat_ms into v_tat from registry.rate_limit_buckets b where b.access_key = p_key for update;
        end if;
        v_base := greatest(v_tat, p_now_ms);
        v_granted := least(p_want, floor(p_burst - (v_base - p_now_ms) / v_interval + 1e-9)::integer);
        if v_granted >= 1 then
          update registry.rate_limit_buckets set tat_ms = v_base + v_granted * v_interval where access_key = p_key;
          return query select v_granted, 0::double precision;
        else
          -- one token is back once max(tat, now) - now <= (burst - 1) * interval
          return query select 0, greatest(0, v_base - p_now_ms - (p_burst - 1) * v_interval);
        end if;
      end
      $fn$`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `drop function if exists registry.take_rate_tokens(text, integer, double precision, integer, double precision)`,
    );
    await runner.query(`drop table if exists registry.rate_limit_buckets`);
  }
}
