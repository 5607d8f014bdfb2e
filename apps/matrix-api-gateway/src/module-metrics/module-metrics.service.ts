import { Injectable } from '@nestjs/common';
import { classifyPgError, Database } from '@matrix/persistence';
import type { RegistryAccess } from '../auth/registry-access';
import { RegistryDb } from '../registry/registry-db';
import { notFound, RegistryError } from '../registry/registry-error';
import { dayBuckets, dayRange, isoDate, type DayBucket, type DayCount } from './day-buckets';
import type { TimeSeriesQuery } from './module-metrics-inputs';

/** A statement on the `matrix` read models that runs longer is cancelled (LIMIT_VIOLATED). */
export const QUERY_TIMEOUT_MS = 30_000;

/** What a principal id names, once the caller is known to see it. */
export type Principal =
  | { kind: 'building'; id: string; buildings: BuildingZone[] }
  | { kind: 'property'; id: string; buildings: BuildingZone[] }
  | { kind: 'zone'; id: string; buildings: BuildingZone[] };

interface BuildingZone {
  pid: string;
  timeZone: string;
}

/** The documented `BUILDING_METRICS` data; `TotalArea` only when a zone has an area. */
export interface BuildingMetrics {
  LevelsCount: number;
  TotalArea?: number;
  ZonesCount: number;
}

/** Key suffix of a work order no sensor raised (no `SourceDeviceIdentifier`). */
export const MANUAL_TYPE = 'MANUAL';
/** Key suffix of a work order raised by a device slot the read model does not know. */
export const UNKNOWN_TYPE = 'UNKNOWN';

/** People counted in one zone in one hour (`total_people_count_by_location_by_hour_for_dom_v2`). */
export interface ZonePeople {
  Zone: string;
  TotalPeople: number;
}

/**
 * The `scmetrics` module metrics (reference §4.5): `BUILDING_METRICS` from the registry the gateway owns,
 * `VCS_WO_DAILY_COUNT_BY_TYPE` from sql-projector's `matrix.incidents` and `matrix.device_slots`, and the
 * people-per-zone named query from `matrix.sensor_data` (the `matrix` tables are only read here, in
 * read-only transactions with a statement timeout). A principal is a building, a property or a zone the
 * caller can see; any other id, another tenant's included, is NOT_FOUND.
 */
@Injectable()
export class ModuleMetricsService {
  constructor(
    private readonly registry: RegistryDb,
    private readonly db: Database,
  ) {}

  /** Resolves `id` to a building, property or zone the caller may read (NOT_FOUND otherwise). */
  async principal(access: RegistryAccess, id: string): Promise<Principal> {
    const rows = await this.registry.query<{ kind: Principal['kind']; prop_id: string; org_id: string }>(
      `select 'building' as kind, b.prop_id, p.org_id
         from registry.buildings b join registry.properties p using (prop_id) where b.pid = $1
       union all
       select 'zone', b.prop_id, p.org_id
         from registry.zones z join registry.buildings b using (pid) join registry.properties p using (prop_id)
        where z.ins_id = $1
       union all
       select 'property', p.prop_id, p.org_id from registry.properties p where p.prop_id = $1`,
      [id],
    );
    const row = rows.find((r) => access.canSee({ orgId: r.org_id, propId: r.prop_id }));
    const missing = () => notFound('principal', id);
    if (!row) throw missing();
    access.check('read', { orgId: row.org_id, propId: row.prop_id }, missing);
    const buildings = await this.registry.query<{ pid: string; time_zone: string }>(
      row.kind === 'building'
        ? `select pid, time_zone from registry.buildings where pid = $1`
        : row.kind === 'zone'
          ? `select b.pid, b.time_zone from registry.zones z join registry.buildings b using (pid) where z.ins_id = $1`
          : `select pid, time_zone from registry.buildings where prop_id = $1 order by pid`,
      [id],
    );
    return {
      kind: row.kind,
      id,
      buildings: buildings.map((b) => ({ pid: b.pid, timeZone: b.time_zone })),
    };
  }

  /** `BUILDING_METRICS` of a principal: its levels, its zones and the sum of their areas. */
  async buildingMetrics(principal: Principal): Promise<BuildingMetrics> {
    const pids = principal.buildings.map((b) => b.pid);
    const zone = principal.kind === 'zone' ? principal.id : null;
    const [row] = await this.registry.query<{ levels: number; zones: number; area: number | null }>(
      `select (select count(*) from registry.levels l
                where l.pid = any($1) and ($2::text is null
                      or l.lid = (select lid from registry.zones where ins_id = $2)))::int as levels,
              count(z.ins_id)::int as zones, sum(z.area) as area
         from registry.zones z where z.pid = any($1) and ($2::text is null or z.ins_id = $2)`,
      [pids, zone],
    );
    return {
      LevelsCount: row!.levels,
      ...(row!.area === null ? {} : { TotalArea: Number(row!.area) }),
      ZonesCount: row!.zones,
    };
  }

  /**
   * `VCS_WO_DAILY_COUNT_BY_TYPE`: work orders (incidents) created per local day of their building, keyed
   * by the slot type of the first device that raised them. Unix-second bounds are read in the time zone of
   * the principal's building (UTC for a property, whose buildings may be in several).
   */
  async workOrderDays(
    principal: Principal,
    query: Omit<TimeSeriesQuery, 'principal'>,
    at = '',
  ): Promise<DayBucket[]> {
    const zoneOfOne = principal.buildings.length === 1 && principal.kind !== 'property';
    const timeZone = zoneOfOne ? principal.buildings[0]!.timeZone : 'UTC';
    const { first, last, days } = dayRange(query.start, query.end, timeZone, at);
    if (principal.buildings.length === 0) return dayBuckets(days, [], query.hideEmptyBuckets);
    const counts = await this.read<DayCount>(
      `with b(pid, tz) as (select * from unnest($1::text[], $2::text[]))
       select to_char(i.created_at at time zone b.tz, 'YYYYMMDD') as day,
              case when jsonb_typeof(i.source_devices) = 'array' and jsonb_array_length(i.source_devices) > 0
                   then coalesce(nullif(split_part(s.devtype, '#', 2), ''), '${UNKNOWN_TYPE}')
                   else '${MANUAL_TYPE}' end as type,
              count(*)::int as count
         from matrix.incidents i
         join b on b.pid = i.pid
         left join matrix.device_slots s on s.alias = i.source_devices ->> 0
        where i.created_at >= $3::date - 1 and i.created_at < $4::date + 2
          and (i.created_at at time zone b.tz)::date between $3::date and $4::date
          and ($5::text is null or i.zone = $5)
        group by 1, 2`,
      [
        principal.buildings.map((b) => b.pid),
        principal.buildings.map((b) => b.timeZone),
        isoDate(first),
        isoDate(last),
        principal.kind === 'zone' ? principal.id : null,
      ],
    );
    return dayBuckets(days, counts, query.hideEmptyBuckets);
  }

  /**
   * People counted per zone of building `pid` in the local hour starting at `localHour`
   * (`2022-06-01 09:00:00` in `timeZone`): the sum of the people counters' `count`, as the documented
   * people-per-zone query (reference §5) sums it, read from the 15-minute rollup sql-projector keeps
   * (`matrix.sensor_data_15m`; every time zone's hours are whole quarter hours of UTC).
   */
  async peopleByZone(pid: string, timeZone: string, localHour: string): Promise<ZonePeople[]> {
    const rows = await this.read<{ zone: string; total: string }>(
      `select insid as zone, sum(count_sum)::text as total
         from matrix.sensor_data_15m
        where pid = $1 and devtype = 'SMARTCLEAN#PPLCTR'
          and bucket >= $2::timestamp at time zone $3
          and bucket < ($2::timestamp + interval '1 hour') at time zone $3
        group by insid order by insid`,
      [pid, localHour, timeZone],
    );
    return rows.map((row) => ({ Zone: row.zone, TotalPeople: Number(row.total ?? 0) }));
  }

  /** Runs one statement in a read-only transaction with a statement timeout. */
  private async read<T>(sql: string, params: unknown[]): Promise<T[]> {
    try {
      return await this.db.transaction(async (tx) => {
        await tx.query(`set transaction read only; set local statement_timeout = ${QUERY_TIMEOUT_MS}`);
        return await tx.query<T>(sql, params);
      });
    } catch (error) {
      if (classifyPgError(error) === 'query-canceled') {
        throw new RegistryError(
          'LIMIT_VIOLATED',
          `the query ran longer than ${QUERY_TIMEOUT_MS / 1000} s: ask for fewer days or principals`,
        );
      }
      throw error;
    }
  }
}
