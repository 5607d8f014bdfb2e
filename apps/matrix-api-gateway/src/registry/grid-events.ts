import { buildMatrixEvent, defaultPriorityOf, type MatrixEventV1 } from '@matrix/contracts';
import { matrixLevel, matrixZone } from './matrix-shapes';
import type { Building, Level, Zone } from './registry.types';

export type GridEventId =
  | 'ZONE_CREATED'
  | 'ZONE_NAME_MODIFIED'
  | 'ZONE_STATUS_MODIFIED'
  | 'ZONE_REMOVED'
  | 'LEVEL_CREATED'
  | 'LEVEL_NAME_MODIFIED';

/**
 * A grid event (reference §2.3–2.4) on `matrix.<pid>.scgrids.<EVENT>.<PRIORITY>`: the principal is the
 * building, the entity its property; `Meta` is the zone or level in its documented shape, plus `Old…`
 * fields for modifications (the documentation leaves grid `Meta` open; see docs/data-formats.md).
 */
export function gridEvent(
  eventId: GridEventId,
  building: Pick<Building, 'pid' | 'propId' | 'name'>,
  subject: { zone: Zone } | { level: Level },
  extra: Record<string, unknown> = {},
  occurredAt = new Date(),
): MatrixEventV1 {
  const isZone = 'zone' in subject;
  const name = isZone ? subject.zone.name : subject.level.name;
  const meta = { ...(isZone ? matrixZone(subject.zone) : matrixLevel(subject.level)), ...extra };
  const what = isZone ? 'Zone' : 'Level';
  const verbs: Record<GridEventId, string> = {
    ZONE_CREATED: 'was created',
    ZONE_NAME_MODIFIED: `was renamed from ${String(extra['OldName'])}`,
    ZONE_STATUS_MODIFIED: `changed status from ${String(extra['OldStatus'])} to ${isZone ? subject.zone.status : ''}`,
    ZONE_REMOVED: 'was removed',
    LEVEL_CREATED: 'was created',
    LEVEL_NAME_MODIFIED: `was renamed from ${String(extra['OldName'])}`,
  };
  const event = buildMatrixEvent({
    principal: building.pid,
    principalType: 'building',
    entity: building.propId,
    entityType: 'property',
    module: 'scgrids',
    eventId,
    priority: defaultPriorityOf('scgrids', eventId) ?? 'NORMAL',
    description: `${what} ${name} ${verbs[eventId]} in ${building.name}.`,
    occurredAt,
    meta,
  });
  event.ATTR = `${eventId}#${building.propId}#${building.pid}#${isZone ? subject.zone.insId : subject.level.lid}`;
  return event;
}
