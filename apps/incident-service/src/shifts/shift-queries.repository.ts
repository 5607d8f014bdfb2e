import { Injectable } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import type { ShiftPosition } from './shift-page-key';
import type { ShiftRow } from './shift-row';
import { taskGroupIdsOf } from './task-groups.repository';
import type { ShiftView } from './shifts.repository';

/*
 * The reads of many shifts (the range lists, a seat's current and next shifts) and the shift metrics, in
 * plain SQL (ADR-19) on `workforce.shifts`.
 *
 * "In range" is overlap by the planned window: a shift `[Start, End)` is in `[from, to]` when
 * `Start <= to` and `End > from` — so a shift that began before `from` and is still planned at `from`
 * counts, one that ended exactly at `from` does not, one that starts exactly at `to` does. A shift's
 * window lasts at most {@link MAX_SHIFT_SPAN} seconds (the table's check `shifts_span_bounded`, migration
 * 1766000000010; planning itself allows 24 hours), so `End > from` implies `Start > from − MAX_SHIFT_SPAN`: every query below gives the
 * planner that bound as well, which turns the overlap into one bounded range of the `(…, start_at)`
 * indexes instead of everything that started before `to`.
 *
 * EXPLAIN ANALYZE (local PostgreSQL; 200,000 shifts: 10 buildings × 100 seats × 200 days of 8-hour shifts):
 * - a building's list, one day: `Bitmap Index Scan on shifts_building_start (Index Cond: pid = 'b1' AND
 *   start_at > from − 172800 AND start_at <= to AND ROW(start_at, shift_id) > after)`, 300 index entries
 *   (the shifts starting the two days before and that day), `Filter: end_at > from` drops the 199 over
 *   before `from`, a sort of the 101 left. The same query without the bound: `Index Scan … Index Cond: pid = 'b1'
 *   AND start_at <= to`, 10,101 rows read and 10,000 filtered out — the building's whole history before
 *   the range, growing every day. The bound is what keeps a range list proportional to the range.
 * - the status list: `shifts_building_status_start` with `pid`, `status` and the same bounded start range
 *   (60 entries read for 20 shifts); a property's: `Index Scan using shifts_property_start` (bounded
 *   range, incremental sort on `shift_id`); a seat's: `shifts_seat_start` (bounded range, then
 *   `prop_id`/`pid` filters).
 * - the building metrics, 30 days: one `Aggregate` over `Bitmap Index Scan on shifts_building_start`
 *   (bounded range, 3,200 entries for 3,001 shifts, 102 heap pages) with the breaks summed per row by a
 *   `jsonb_to_recordset` subplan, 22 ms; a seat's: `shifts_seat_start` (32 entries), then `pid`. Cost is
 *   proportional to the shifts in the range, whatever the history — and the range is at most
 *   {@link MAX_METRICS_SPAN} seconds. (An index-only scan is out of reach: the worked time needs the
 *   breaks, a jsonb of the row too large to carry in an index.)
 * - a seat's current shift: two probes, `Index Scan Backward using shifts_seat_started` (the seat's
 *   STARTED shifts only) and `shifts_seat_start` over the two days before `at` — never the seat's history.
 */

/** The longest a shift's window lasts: the table's check `shifts_span_bounded` (planning allows 24 hours). */
export const MAX_SHIFT_SPAN = 172_800;

/** The longest range a metrics op summarises: 366 days. */
export const MAX_METRICS_SPAN = 366 * 86_400;

/** What a range list selects: a building's, a property's or a seat's shifts (one building's, when `pid`). */
export type ShiftScope =
  { pid: string; status?: string } | { propId: string } | { seatId: string; propId: string; pid?: string };

/** The statuses a seat's current and next shifts have: published plans, being or having been worked. */
const WORKED = `status in ('PUBLISHED', 'STARTED', 'COMPLETED')`;

/** A shift in range: `$2` from, `$3` to. */
const IN_RANGE = `start_at > $2::bigint - ${MAX_SHIFT_SPAN} and start_at <= $3 and end_at > $2`;

/** A shift's bigint and jsonb columns as the metrics read them: the seconds worked (`$4` now). */
const WORKED_SECONDS = `case when a_start = 0 then 0 else greatest(0, until - a_start - coalesce((
    select sum(greatest(0, least(case when b."AEnd" > 0 then b."AEnd" else until end, until) - greatest(b."AStart", a_start)))
    from jsonb_to_recordset(breaks) as b("AStart" bigint, "AEnd" bigint) where b."AStart" > 0), 0)) end`;

/** One row of shift metrics (a building's, a seat's, or one seat's line of the lateness metrics). */
export interface ShiftCounts {
  seat_id?: string;
  total: number;
  unpublished: number;
  published: number;
  started: number;
  completed: number;
  absent: number;
  on_leave: number;
  delayed: number;
  clocked_in: number;
  late: number;
  planned: string;
  worked: string;
  lateness_total: string;
  lateness_max: string | null;
}

@Injectable()
export class ShiftQueriesRepository {
  constructor(private readonly db: Database) {}

  /** The shifts of `rows` with the TaskIds of their task groups (one query for all). */
  private async withTaskGroups(rows: ShiftRow[]): Promise<ShiftView[]> {
    const ids = await taskGroupIdsOf(
      this.db,
      rows.map((r) => r.shift_id),
    );
    return rows.map((row) => ({ row, taskGroups: ids.get(row.shift_id) ?? [] }));
  }

  /**
   * The shifts of `scope` in `[from, to]`, in `(Start, ShiftId)` order after `after`, at most `limit`.
   */
  async inRange(
    scope: ShiftScope,
    from: number,
    to: number,
    limit: number,
    after?: ShiftPosition,
  ): Promise<ShiftView[]> {
    const where =
      'seatId' in scope
        ? `seat_id = $1 and prop_id = $7 and ($8::text is null or pid = $8)`
        : 'propId' in scope
          ? `prop_id = $1`
          : `pid = $1 and ($7::text is null or status = $7)`;
    const key = 'seatId' in scope ? scope.seatId : 'propId' in scope ? scope.propId : scope.pid;
    const extra =
      'seatId' in scope ? [scope.propId, scope.pid ?? null] : 'propId' in scope ? [] : [scope.status ?? null];
    const rows = await this.db.query<ShiftRow>(
      `select * from workforce.shifts
       where ${where} and ${IN_RANGE}
         and ($4::bigint is null or (start_at, shift_id) > ($4::bigint, $5::uuid))
       order by start_at, shift_id limit $6`,
      [key, from, to, after?.start ?? null, after?.shiftId ?? null, limit, ...extra],
    );
    return this.withTaskGroups(rows);
  }

  /**
   * The shift of seat `seatId` (property `propId`, any building) that covers `at`: the one it was
   * clocked in to at `at` and is still working (STARTED, `AStart` ≤ `at`) when `at` is not after `now`;
   * else the PUBLISHED, STARTED or COMPLETED one whose planned window `[Start, End)` holds `at` (a seat
   * has at most one such, the table's exclusion constraint). Undefined when none does.
   */
  async current(propId: string, seatId: string, at: number, now: number): Promise<ShiftView | undefined> {
    const [row] = await this.db.query<ShiftRow>(
      `(select *, 0 as rank from workforce.shifts
        where seat_id = $1 and prop_id = $2 and status = 'STARTED' and a_start <= $3 and $3 <= $4
        order by a_start desc, shift_id limit 1)
       union all
       (select *, 1 as rank from workforce.shifts
        where seat_id = $1 and prop_id = $2 and ${WORKED}
          and start_at > $3::bigint - ${MAX_SHIFT_SPAN} and start_at <= $3 and end_at > $3
        order by start_at, shift_id limit 1)
       order by rank limit 1`,
      [seatId, propId, at, now],
    );
    if (!row) return undefined;
    delete (row as Partial<{ rank: number }>).rank;
    return (await this.withTaskGroups([row]))[0];
  }

  /** The next `limit` shifts of seat `seatId` (property `propId`, any building) starting after `at`: PUBLISHED (or STARTED early). */
  async next(propId: string, seatId: string, at: number, limit: number): Promise<ShiftView[]> {
    const rows = await this.db.query<ShiftRow>(
      `select * from workforce.shifts
       where seat_id = $1 and prop_id = $2 and status in ('PUBLISHED', 'STARTED') and start_at > $3
       order by start_at, shift_id limit $4`,
      [seatId, propId, at, limit],
    );
    return this.withTaskGroups(rows);
  }

  /**
   * The shift metrics of building `pid` (of one seat in it when `seatId`) over the shifts in `[from, to]`,
   * worked seconds to `now` for a shift still running; with `bySeat`, one row per seat.
   */
  async counts(
    pid: string,
    seatId: string | undefined,
    from: number,
    to: number,
    now: number,
    bySeat = false,
  ): Promise<ShiftCounts[]> {
    return this.db.query<ShiftCounts>(
      `with s as (
         select ${bySeat ? 'seat_id, ' : ''}status, delayed, start_at, end_at, a_start, breaks,
                case when a_start = 0 then 0
                     else coalesce(nullif(a_end, 0), case when status = 'STARTED' then $4::bigint else a_start end)
                end as until
         from workforce.shifts
         where pid = $1 and ($5::text is null or seat_id = $5) and ${IN_RANGE}
       )
       select ${bySeat ? 'seat_id, ' : ''}count(*)::int as total,
              count(*) filter (where status = 'UNPUBLISHED')::int as unpublished,
              count(*) filter (where status = 'PUBLISHED')::int as published,
              count(*) filter (where status = 'STARTED')::int as started,
              count(*) filter (where status = 'COMPLETED')::int as completed,
              count(*) filter (where status = 'ABSENT')::int as absent,
              count(*) filter (where status = 'ON_LEAVE')::int as on_leave,
              count(*) filter (where delayed)::int as delayed,
              count(*) filter (where a_start > 0)::int as clocked_in,
              count(*) filter (where a_start > start_at)::int as late,
              coalesce(sum(end_at - start_at) filter (where status in ('PUBLISHED', 'STARTED', 'COMPLETED', 'ABSENT')), 0)::text
                as planned,
              coalesce(sum(${WORKED_SECONDS}), 0)::text as worked,
              coalesce(sum(a_start - start_at) filter (where a_start > start_at), 0)::text as lateness_total,
              max(a_start - start_at) filter (where a_start > start_at)::text as lateness_max
       from s
       ${bySeat ? 'group by seat_id order by seat_id' : ''}`,
      [pid, from, to, now, seatId ?? null],
    );
  }
}
