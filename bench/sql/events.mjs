// The Matrix events of the SQL benchmark, shaped as `buildMatrixEvent` (libs/contracts/src/events/
// matrix-event.v1.ts) makes them — every routing-key field agreeing with the key, the principal a building
// (`PType`) of a property (`Entity`, `EType`), `Meta` as the owners publish it (docs/data-formats.md) —
// so sql-projector takes every one into `matrix.events` and its read models take theirs:
//
// - `registryEvents`: LEVEL_CREATED and ZONE_CREATED of every level and zone (matrix.levels, matrix.zones,
//   which the worked queries join);
// - `historyEvents`: incidents and cleaning task groups over the seeded days (matrix.incidents,
//   matrix.tasks: the worked queries "incidents per zone per day", "last clean time", "open incidents");
// - `loadEvent(n)`: the steady stream of the projection benchmark, ten kinds in turn — an incident's
//   life (created open, escalated, started, completed), a task group started and completed, a shift started
//   and completed, and an audit started and completed (a module no read model follows).

/** Documented priority of each event id used here (libs/contracts/src/events/matrix-event-ids.ts). */
const PRIORITY = {
  LEVEL_CREATED: 'NORMAL',
  ZONE_CREATED: 'NORMAL',
  INCIDENT_CREATED_OPEN: 'HIGH',
  INCIDENT_ESCALATED: 'HIGH',
  INCIDENT_STARTED: 'NORMAL',
  INCIDENT_COMPLETED: 'NORMAL',
  TASK_STARTED: 'NORMAL',
  TASK_COMPLETED: 'NORMAL',
  SHIFT_STARTED: 'NORMAL',
  SHIFT_COMPLETED: 'NORMAL',
  AUDIT_STARTED: 'NORMAL',
  AUDIT_COMPLETED: 'HIGH',
};
const MODULE_OF = (eventId) =>
  eventId.startsWith('ZONE') || eventId.startsWith('LEVEL')
    ? 'scgrids'
    : eventId.startsWith('AUDIT')
      ? 'scaudits'
      : 'scworkforcemanagement';

/** A building's event (`unix` seconds), as buildMatrixEvent builds it. */
export function matrixEvent(building, eventId, unix, description, meta) {
  const module = MODULE_OF(eventId);
  const priority = PRIORITY[eventId];
  return {
    ID: building.pid,
    Principal: building.pid,
    Description: description,
    Event: eventId,
    RoutingKey: `matrix.${building.pid}.${module}.${eventId}.${priority}`,
    RoutingKeyS: ['matrix', building.pid, module, eventId, priority],
    Module: module,
    Status: priority,
    Time: `${module}#${unix}`,
    UnixTime: String(unix),
    UnixTimeInt: unix,
    Meta: meta,
    PType: 'building',
    Entity: building.propId,
    EType: 'property',
  };
}

/** `{ msgId, event }` of every level and zone of the layout, created `unix`. */
export function registryEvents(layout, unix) {
  const out = [];
  for (const building of layout.buildings) {
    for (const level of building.levels) {
      out.push({
        msgId: `bench-sql-level:${building.pid}:${level.lid}`,
        event: matrixEvent(building, 'LEVEL_CREATED', unix, `Level ${level.name} was created.`, {
          LID: level.lid,
          Name: level.name,
          Level: level.level,
          Area: 1000,
        }),
      });
    }
    for (const zone of building.zones) {
      out.push({
        msgId: `bench-sql-zone:${building.pid}:${zone.insid}`,
        event: matrixEvent(building, 'ZONE_CREATED', unix, `Zone ${zone.name} was created.`, {
          InsID: zone.insid,
          LID: zone.lid,
          Name: zone.name,
          Status: 'ACTIVE',
          Area: zone.area,
          FloorType: zone.kind === 'washroom' ? 'TILES' : 'CARPET',
          CreatedOn: unix,
        }),
      });
    }
  }
  return out;
}

const incidentMeta = (zone, taskId, status, level, times) => ({
  TaskId: taskId,
  Type: 'INCIDENT',
  Zone: zone.insid,
  ZoneName: zone.name,
  Name: zone.kind === 'washroom' ? 'Refill soap dispenser.' : 'Spill on the floor.',
  Priority: 'H',
  Status: status,
  EscalationLevel: `L${level}`,
  By: 'WD',
  SourceDeviceIdentifier: [`${zone.insid}-pplctr`],
  Start: times.start,
  End: times.start + 1800,
  AStart: times.aStart ?? 0,
  AEnd: times.aEnd ?? 0,
});

const taskMeta = (zone, taskId, status, times) => ({
  Type: 'TASK',
  TaskId: taskId,
  ShiftId: `${taskId}-shift`,
  SeatId: `${zone.propId}_001`,
  Zone: zone.insid,
  ZoneName: zone.name,
  Name: `Clean ${zone.name}`,
  Priority: 'N',
  Status: status,
  Start: times.start,
  End: times.start + 3600,
  AStart: times.aStart ?? 0,
  AEnd: times.aEnd ?? 0,
  TasksDone: status === 'COMPLETED' ? 3 : 0,
  taskCount: 3,
});

/**
 * Incidents and task groups over the seeded days, from a seeded PRNG `random`: in about half of the zone-days an
 * incident raised between 08:00 and 18:00 UTC, started 10 minutes and completed 30 minutes later (on the
 * last day left open); in about a third a task group completed. `startMs` is the first seeded day.
 */
export function historyEvents(layout, startMs, days, random) {
  const out = [];
  for (const zone of layout.zones) {
    const building = layout.buildings.find((b) => b.pid === zone.pid);
    for (let day = 0; day < days; day++) {
      const base = Math.floor(startMs / 1000) + day * 86_400;
      if (random() < 0.5) {
        const taskId = `bench-sql-i-${zone.insid}-${day}`;
        const start = base + 8 * 3600 + Math.floor(random() * 10 * 3600);
        const open = day === days - 1;
        const steps = open
          ? [['INCIDENT_CREATED_OPEN', 'NOT_ASSIGNED', start, {}]]
          : [
              ['INCIDENT_CREATED_OPEN', 'NOT_ASSIGNED', start, {}],
              ['INCIDENT_STARTED', 'STARTED', start + 600, { aStart: start + 600 }],
              ['INCIDENT_COMPLETED', 'COMPLETED', start + 1800, { aStart: start + 600, aEnd: start + 1800 }],
            ];
        for (const [eventId, status, at, times] of steps) {
          out.push({
            msgId: `bench-sql-history:${taskId}:${eventId}`,
            event: matrixEvent(
              building,
              eventId,
              at,
              `Incident ${taskId} ${status}.`,
              incidentMeta(zone, taskId, status, 0, { start, ...times }),
            ),
          });
        }
      }
      if (random() < 1 / 3) {
        const taskId = `bench-sql-t-${zone.insid}-${day}`;
        const start = base + 6 * 3600 + Math.floor(random() * 12 * 3600);
        out.push({
          msgId: `bench-sql-history:${taskId}:TASK_COMPLETED`,
          event: matrixEvent(
            building,
            'TASK_COMPLETED',
            start + 2400,
            `Task group ${taskId} completed.`,
            taskMeta(zone, taskId, 'COMPLETED', { start, aStart: start, aEnd: start + 2400 }),
          ),
        });
      }
    }
  }
  return out;
}

/** The kinds of load event, in turn (see the header). */
const LOAD_KINDS = [
  'INCIDENT_CREATED_OPEN',
  'INCIDENT_ESCALATED',
  'INCIDENT_STARTED',
  'INCIDENT_COMPLETED',
  'TASK_STARTED',
  'TASK_COMPLETED',
  'SHIFT_STARTED',
  'SHIFT_COMPLETED',
  'AUDIT_STARTED',
  'AUDIT_COMPLETED',
];

/** Load event `n` of run `runId` at `unix` seconds: ten kinds in turn, one incident / task / shift / audit per ten. */
export function loadEvent(layout, runId, n, unix) {
  const eventId = LOAD_KINDS[n % LOAD_KINDS.length];
  const unit = Math.floor(n / LOAD_KINDS.length);
  const zone = layout.zones[unit % layout.zones.length];
  const building = layout.buildings.find((b) => b.pid === zone.pid);
  const id = `bench-sql-${runId}-${unit}`;
  switch (eventId) {
    case 'INCIDENT_CREATED_OPEN':
    case 'INCIDENT_ESCALATED':
    case 'INCIDENT_STARTED':
    case 'INCIDENT_COMPLETED': {
      const status =
        { INCIDENT_STARTED: 'STARTED', INCIDENT_COMPLETED: 'COMPLETED' }[eventId] ?? 'NOT_ASSIGNED';
      const times = {
        start: unix,
        aStart: status === 'NOT_ASSIGNED' ? 0 : unix,
        aEnd: status === 'COMPLETED' ? unix : 0,
      };
      return matrixEvent(
        building,
        eventId,
        unix,
        `Incident ${id} ${status}.`,
        incidentMeta(zone, `${id}-i`, status, eventId === 'INCIDENT_CREATED_OPEN' ? 0 : 1, times),
      );
    }
    case 'TASK_STARTED':
    case 'TASK_COMPLETED': {
      const status = eventId === 'TASK_STARTED' ? 'STARTED' : 'COMPLETED';
      const times = { start: unix, aStart: unix, aEnd: status === 'COMPLETED' ? unix : 0 };
      return matrixEvent(
        building,
        eventId,
        unix,
        `Task group ${id} ${status}.`,
        taskMeta(zone, `${id}-t`, status, times),
      );
    }
    case 'SHIFT_STARTED':
    case 'SHIFT_COMPLETED': {
      const status = eventId === 'SHIFT_STARTED' ? 'STARTED' : 'COMPLETED';
      return matrixEvent(building, eventId, unix, `Shift ${id} ${status}.`, {
        ShiftId: `${id}-s`,
        SeatId: `${zone.propId}_001`,
        Status: status,
        Start: unix,
        End: unix + 8 * 3600,
        AStart: unix,
        AEnd: status === 'COMPLETED' ? unix : 0,
        TimeZone: zone.region,
        Zones: { [zone.insid]: zone.name },
        TaskGroups: [`${id}-t`],
        Delayed: false,
        Adhoc: false,
      });
    }
    default:
      return matrixEvent(
        building,
        eventId,
        unix,
        `Audit ${id} ${eventId === 'AUDIT_STARTED' ? 'started' : 'completed'}.`,
        {
          AuditId: `${id}-a`,
          Zone: zone.insid,
          ZoneName: zone.name,
          Score: eventId === 'AUDIT_COMPLETED' ? 80 + (unit % 20) : null,
        },
      );
  }
}
