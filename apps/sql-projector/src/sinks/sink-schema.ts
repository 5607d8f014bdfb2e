/**
 * The tables sql-projector creates in a customer-hosted sink (docs/sql.md, Customer-hosted sink): the
 * columns, types and keys of the dedicated database's `matrix.sensor_data`, `matrix.sensor_data_15m` and
 * `matrix.events`, so the documented queries and the worked queries of docs/sql.md run there unchanged —
 * but not partitioned and without the platform's functions, roles or policies: the database is the
 * customer's, and so are its retention and access. `matrix.sink_progress` records, in the same transaction
 * as the rows, how far each property's copy has come, so the copy resumes from the sink's own state (a
 * sink restored from a backup, or a new empty database, is filled again from the dedicated database).
 *
 * Every statement is idempotent (`if not exists`) and runs whenever the copier connects; a test compares
 * these tables' columns with the dedicated database's (sinks.integration-spec), so a column added there
 * and not here fails CI.
 */
export const SINK_SCHEMA_VERSION = 1;

export const SINK_SCHEMA: readonly string[] = [
  `create schema if not exists matrix`,
  `create table if not exists matrix.sensor_data (
     msg_id       text        not null,
     t            text        not null,
     v            jsonb       not null,
     unixt        bigint      not null,
     devid        text        not null,
     region       text        not null,
     time         timestamptz not null,
     devtype      text        not null,
     pid          text        not null,
     propid       text,
     insid        text        not null,
     display      text,
     dow          text        not null,
     month        text        not null,
     hour         text        not null,
     dom          text        not null,
     minute       text        not null,
     extra        jsonb,
     stream_seq   bigint      not null,
     projected_at timestamptz not null default now(),
     primary key (time, msg_id)
   )`,
  `create index if not exists sensor_data_pid_devtype_time_cov on matrix.sensor_data (pid, devtype, time)
     include (insid, propid, month, dom, v)`,
  `create table if not exists matrix.sensor_data_15m (
     pid           text        not null,
     insid         text        not null,
     devtype       text        not null,
     bucket        timestamptz not null,
     count_sum     bigint      not null default 0,
     out_count_sum bigint      not null default 0,
     rating_sum    bigint      not null default 0,
     rating_count  integer     not null default 0,
     points        integer     not null default 0,
     propid        text,
     primary key (pid, insid, devtype, bucket)
   )`,
  `create index if not exists sensor_data_15m_pid_devtype_bucket on matrix.sensor_data_15m (pid, devtype, bucket)`,
  `create table if not exists matrix.events (
     msg_id       text        not null,
     principal    text        not null,
     pid          text,
     prop_id      text,
     module       text        not null,
     event_id     text        not null,
     priority     text        not null,
     routing_key  text        not null,
     time         timestamptz not null,
     description  text        not null,
     meta         jsonb       not null,
     payload      jsonb       not null,
     stream_seq   bigint      not null,
     projected_at timestamptz not null default now(),
     primary key (time, msg_id)
   )`,
  `create index if not exists events_prop_module_time on matrix.events (prop_id, module, time, msg_id)`,
  `create index if not exists events_pid_module_time on matrix.events (pid, module, time, msg_id)`,
  `create table if not exists matrix.sink_progress (
     prop_id        text        not null,
     stream         text        not null,
     copied_through bigint      not null,
     -- When the projector's consumer of the stream was created: another value means the stream or the
     -- consumer was made anew, its sequences count from the start again, and the copy starts over.
     stream_epoch   text,
     schema_version integer     not null,
     updated_at     timestamptz not null default now(),
     primary key (prop_id, stream)
   )`,
  `comment on table matrix.sink_progress is 'Written by Matrix sql-projector: how far the copy of each property has come (stream sequences)'`,
];

/** The streams whose rows a sink holds, as `matrix.sink_progress.stream` names them. */
export type SinkStream = 'sensor_data' | 'events';
