// Seeds `workforce.incidents` and `workforce.incident_timeline` of one building straight in SQL (after
// incident-service's migrations ran), with the rows incident-service itself writes for incidents created
// through `scteams.createIncidentWithoutAssignee` and moved through their lifecycle
// (apps/incident-service/src/incidents/incidents.repository.ts, creation-actions.ts, transition-actions.ts):
//
// - `recent` = 5 per zone, created in the last 24 h: 3 open (NOT_ASSIGNED, seat/shift `tbp`), 1 ASSIGNED,
//   1 STARTED (to one of the property's seats, shift == seat, `a_start` set);
// - the rest resolved, spread evenly over the 365 days before that: 95% COMPLETED (`a_start`, `a_end`),
//   5% INCOMPLETE (half of them after a start); 10% escalated once while open, 2% twice.
//
// `task_id` is the creation time in epoch ms + 6 random digits (19 digits, like `newTaskId`), `start_by`
// the creation second, `due` start + the documented default timeout of the priority (H 900 s, M 1200 s,
// N 1800 s, L 3600 s), `request_key` a base64url SHA-256 (43 characters, like the service's), `created_by`
// and every timeline `by_key` the bench credential, `modified_on` the time of the last transition. Each
// incident has the timeline rows of its transitions, in order (create-open, escalate…, assign, start,
// end | incomplete). Not seeded: the outbox rows those transitions published long ago (the relay only
// reads the partial index of unpublished rows, and nothing else reads the outbox).
import pg from 'pg';

const DAY_MS = 86_400_000;
const CHUNK = 200_000;

/**
 * @param {{ databaseUrl: string, incidents: number, org: string, propId: string, pid: string,
 *   zones: { id: string, name: string }[], seats: string[], createdBy: string, nowMs: number,
 *   log: (message: string) => void }} options
 * @returns {Promise<{ ms: number, incidents: number, open: number, timeline: number }>}
 */
export async function seedIncidents(options) {
  const { incidents: total, zones, seats, nowMs } = options;
  const started = Date.now();
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const recent = Math.min(total, 5 * zones.length);
    const resolved = total - recent;
    const recentStep = Math.floor(DAY_MS / Math.max(1, recent));
    const resolvedStep = Math.max(1, Math.floor((365 * DAY_MS) / Math.max(1, resolved)));
    const params = {
      org: options.org,
      prop: options.propId,
      pid: options.pid,
      zoneIds: zones.map((z) => z.id),
      zoneNames: zones.map((z) => z.name),
      seats,
      by: options.createdBy,
    };
    for (let from = 1; from <= total; from += CHUNK) {
      const to = Math.min(total, from + CHUNK - 1);
      await client.query(INSERT_INCIDENTS, [
        from,
        to,
        zones.length,
        recent,
        nowMs - DAY_MS,
        recentStep,
        nowMs - 366 * DAY_MS,
        resolvedStep,
        params.org,
        params.prop,
        params.pid,
        params.zoneIds,
        params.zoneNames,
        params.seats,
        params.by,
      ]);
      options.log(
        `seeded incidents ${from}–${to} of ${total} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    }
    let timeline = 0;
    for (const statement of TIMELINE) {
      timeline += (await client.query(statement, [options.pid])).rowCount ?? 0;
    }
    options.log(`seeded ${timeline} timeline rows (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    await client.query('vacuum analyze workforce.incidents');
    await client.query('vacuum analyze workforce.incident_timeline');
    const { rows } = await client.query(
      `select count(*)::int as n, count(*) filter (where status = 'NOT_ASSIGNED')::int as open
       from workforce.incidents where pid = $1`,
      [options.pid],
    );
    return { ms: Date.now() - started, incidents: rows[0].n, open: rows[0].open, timeline };
  } finally {
    await client.end();
  }
}

// $1..$2 the row numbers g of this chunk; $3 zones; $4 recent rows (g ≤ $4); $5/$6 the recent rows' first
// ms and step; $7/$8 the resolved rows' first ms and step; $9 org, $10 property, $11 building, $12/$13
// zone ids/names, $14 seat ids, $15 the credential (created_by).
const INSERT_INCIDENTS = `
  with base as (
    select g,
           (g - 1) % $3 as z,
           g <= $4 as recent,
           case when g <= $4 then (array['NOT_ASSIGNED','NOT_ASSIGNED','NOT_ASSIGNED','ASSIGNED','STARTED'])[((g - 1) / $3) % 5 + 1]
                when g % 20 = 0 then 'INCOMPLETE' else 'COMPLETED' end as status,
           (array['N','N','N','M','M','H','L','L'])[g % 8 + 1] as priority,
           case when g <= $4 then $5::bigint + (g - 1) * $6::bigint + floor(random() * $6::bigint)::bigint
                else $7::bigint + (g - $4 - 1) * $8::bigint + floor(random() * $8::bigint)::bigint end as created_ms,
           case when g <= $4 then 0 when g % 50 = 0 then 2 when g % 10 = 0 then 1 else 0 end as level
    from generate_series($1::bigint, $2::bigint) g
  ), timed as (
    select b.*,
           b.created_ms / 1000 as start_by,
           b.created_ms / 1000 + case b.priority when 'H' then 900 when 'M' then 1200 when 'N' then 1800 else 3600 end as due,
           b.created_ms / 1000 + 30 + 900 * b.level as assigned_at,
           case when b.status in ('STARTED', 'COMPLETED') or (b.status = 'INCOMPLETE' and b.g % 40 = 0)
                then b.created_ms / 1000 + 90 + 900 * b.level + b.g % 540 else 0 end as a_start,
           $14::text[] as seats
    from base b
  ), rows as (
    select t.*,
           case when t.status = 'COMPLETED' then t.a_start + 300 + t.g % 1200 else 0 end as a_end,
           case when t.status = 'NOT_ASSIGNED' then 'tbp' else t.seats[t.g % cardinality(t.seats) + 1] end as seat
    from timed t
  )
  insert into workforce.incidents
    (task_id, org_id, prop_id, pid, zone_id, zone_name, zone_category_id, name, description, priority,
     start_by, due, a_start, a_end, status, seat_id, shift_id, by_source, event_source, auto_assigned,
     escalation_level, tasks, source_device_ids, attachments, request_key, created_by, created_on, modified_on)
  select r.created_ms::text || lpad(floor(random() * 1000000)::int::text, 6, '0'),
         $9, $10, $11, ($12::text[])[r.z + 1], ($13::text[])[r.z + 1], null,
         (array['Washroom essentials.','Spill on the floor.','Refill soap dispenser.','Bin overflowing.',
                'Bad odour reported.','Paper towels empty.'])[r.g % 6 + 1],
         null, r.priority, r.start_by, r.due, r.a_start, r.a_end, r.status, r.seat, r.seat,
         case when r.g % 3 = 0 then null else 'KG' end, case when r.g % 3 = 0 then null else 'HK' end, false,
         r.level,
         case when r.g % 2 = 0 then '[{"Name": "Wipe mirror."}, {"Name": "Refill soap."}]'::jsonb
              else '[{"Name": "Clean the floor."}]'::jsonb end,
         '{}', '[]',
         translate(rtrim(encode(sha256(convert_to('bench-seed:' || $11 || ':' || r.g, 'UTF8')), 'base64'), '='), '+/', '-_'),
         $15,
         to_timestamp(r.created_ms / 1000.0),
         case r.status
           when 'NOT_ASSIGNED' then to_timestamp(r.created_ms / 1000.0)
           when 'ASSIGNED' then to_timestamp(r.assigned_at)
           when 'STARTED' then to_timestamp(r.a_start)
           when 'COMPLETED' then to_timestamp(r.a_end)
           else to_timestamp(greatest(r.due, r.a_start) + 60) end
  from rows r`;

// The timeline of every seeded incident of building $1, one statement per transition in the order they
// happened, so that within an incident the ids (bigserial) follow time as the service's do.
const TIMELINE = [
  `insert into workforce.incident_timeline (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
   select task_id, 'create-open', null, 'NOT_ASSIGNED', 0, 'tbp', created_by, start_by
   from workforce.incidents where pid = $1`,
  ...[1, 2].map(
    (
      k,
    ) => `insert into workforce.incident_timeline (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
   select task_id, 'escalate', 'NOT_ASSIGNED', 'NOT_ASSIGNED', ${k}, 'tbp', created_by, start_by + ${900 * k}
   from workforce.incidents where pid = $1 and escalation_level >= ${k}`,
  ),
  `insert into workforce.incident_timeline (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
   select task_id, 'assign', 'NOT_ASSIGNED', 'ASSIGNED', escalation_level, seat_id, created_by, start_by + 30 + 900 * escalation_level
   from workforce.incidents where pid = $1 and status <> 'NOT_ASSIGNED'`,
  `insert into workforce.incident_timeline (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
   select task_id, 'start', 'ASSIGNED', 'STARTED', escalation_level, seat_id, created_by, a_start
   from workforce.incidents where pid = $1 and a_start > 0`,
  `insert into workforce.incident_timeline (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
   select task_id, 'end', 'STARTED', 'COMPLETED', escalation_level, seat_id, created_by, a_end
   from workforce.incidents where pid = $1 and status = 'COMPLETED'`,
  `insert into workforce.incident_timeline (task_id, transition, from_status, to_status, escalation_level, seat_id, by_key, at)
   select task_id, 'incomplete', case when a_start > 0 then 'STARTED' else 'ASSIGNED' end, 'INCOMPLETE',
          escalation_level, seat_id, created_by, extract(epoch from modified_on)::bigint
   from workforce.incidents where pid = $1 and status = 'INCOMPLETE'`,
];
