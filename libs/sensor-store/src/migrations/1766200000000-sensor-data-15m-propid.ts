import type { MigrationInterface, QueryRunner } from 'typeorm';

/** `matrix.rebuild_sensor_data_15m` (CreateSensorData15m1764374400000), setting `propid` or (down) not. */
const rebuildFunction = (propid: boolean) => `
  create or replace function matrix.rebuild_sensor_data_15m(from_at timestamptz, to_at timestamptz) returns bigint
  language plpgsql as $$
  declare
    origin constant timestamptz := timestamptz '2000-01-01 00:00:00+00';
    lo timestamptz := date_bin('15 minutes', from_at, origin);
    hi timestamptz := date_bin('15 minutes', to_at, origin);
    written bigint;
  begin
    if hi < to_at then
      hi := hi + interval '15 minutes';
    end if;
    -- Writers wait until the range is rebuilt, so no row is missed or counted twice.
    lock table matrix.sensor_data in share mode;
    lock table matrix.sensor_data_15m in exclusive mode;
    delete from matrix.sensor_data_15m where bucket >= lo and bucket < hi;
    insert into matrix.sensor_data_15m
           (pid, insid, devtype, bucket, count_sum, out_count_sum, rating_sum, rating_count, points${propid ? ', propid' : ''})
    select pid, insid, devtype,
           date_bin('15 minutes', time, origin),
           coalesce(sum(case when devtype in ('SMARTCLEAN#PPLCTR', 'SMARTCLEAN#UM')
                             then cast(v->>'count' as integer) end), 0),
           coalesce(sum(case when devtype = 'SMARTCLEAN#PPLCTR'
                             then cast(v->>'out_count' as integer) end), 0),
           coalesce(sum(case when devtype = 'SMARTCLEAN#FD'
                             then cast(v->>'rating' as integer) end), 0),
           count(case when devtype = 'SMARTCLEAN#FD' then cast(v->>'rating' as integer) end),
           count(*)${propid ? ', max(propid)' : ''}
      from matrix.sensor_data
     where devtype in ('SMARTCLEAN#PPLCTR', 'SMARTCLEAN#UM', 'SMARTCLEAN#FD')
       and time >= lo and time < hi
     group by 1, 2, 3, 4;
    get diagnostics written = row_count;
    return written;
  end $$`;

/**
 * `matrix.sensor_data_15m.propid`: the property of a bucket's rows, so the tenant policy can restrict the
 * rollup as it restricts `matrix.sensor_data` (TenantAccess1766200000100). A building belongs to one
 * property, so the column is not part of the key: sql-projector's rollup upsert sets it to the rows'
 * `max(propid)` and keeps a stored value when the new rows carry none (`coalesce(excluded.propid,
 * r.propid)`). Filled here for the buckets already there from the rows they sum; the rebuild function sets
 * it the same way. Not indexed: every documented query names the building (`pid`), whose index finds the
 * bucket rows, and the policy is one comparison per row found.
 */
export class SensorData15mPropid1766200000000 implements MigrationInterface {
  name = 'SensorData15mPropid1766200000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`alter table matrix.sensor_data_15m add column propid text`);
    await runner.query(`
      update matrix.sensor_data_15m r
         set propid = s.propid
        from (select pid, insid, devtype,
                     date_bin('15 minutes', time, timestamptz '2000-01-01 00:00:00+00') as bucket,
                     max(propid) as propid
                from matrix.sensor_data
               where devtype in ('SMARTCLEAN#PPLCTR', 'SMARTCLEAN#UM', 'SMARTCLEAN#FD')
                 and propid is not null
               group by 1, 2, 3, 4) s
       where (r.pid, r.insid, r.devtype, r.bucket) = (s.pid, s.insid, s.devtype, s.bucket)`);
    await runner.query(
      `comment on column matrix.sensor_data_15m.propid is 'Property (PropId) of the rows of the bucket; the tenant policy compares it'`,
    );
    await runner.query(rebuildFunction(true));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(rebuildFunction(false));
    await runner.query(`alter table matrix.sensor_data_15m drop column propid`);
  }
}
