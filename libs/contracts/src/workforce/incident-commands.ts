import { objectReply, scopedRequest } from './command-decoders';

/*
 * ⚠️ The incident reads of the gateway's REST v1 `/v1/buildings/{pid}/incidents` that no documented
 * `scteams.*` op covers (a building's incidents of any status, keyset-paged; one incident by id alone).
 * Every change goes through the workforce actions command (`workforce.action.call.v1`) as the Matrix
 * actions API's does; these two only read. The gateway has checked the caller may see the building.
 * Subjects are persistence contracts: renaming one is a migration, not a refactor.
 */

export const INCIDENT_STATUSES_V1 = [
  'NOT_ASSIGNED',
  'ASSIGNED',
  'STARTED',
  'COMPLETED',
  'INCOMPLETE',
] as const;
export type IncidentStatusV1 = (typeof INCIDENT_STATUSES_V1)[number];

/** The building, as the gateway resolved it. */
export interface IncidentScopeV1 {
  org: string;
  propId: string;
  pid: string;
}

export interface IncidentListRequestV1 extends IncidentScopeV1 {
  zoneId?: string;
  /** Any of these statuses (all when absent). */
  statuses?: IncidentStatusV1[];
  /** Start-by time in `[from, to)`, epoch seconds. */
  from?: number;
  to?: number;
  /** The previous page's `nextCursor` (opaque). */
  cursor?: string;
  limit: number;
}

/** Incidents in their documented (Matrix) shape, newest start-by first; `nextCursor` when there are more. */
export interface IncidentListReplyV1 {
  items: Record<string, unknown>[];
  nextCursor?: string;
}

export interface IncidentGetRequestV1 extends IncidentScopeV1 {
  taskId: string;
}

const text = (value: unknown) => typeof value === 'string' && value.length > 0;
const seconds = (value: unknown) =>
  value === undefined || (Number.isSafeInteger(value) && (value as number) >= 0);

const request = <T>(check: (json: Record<string, unknown>, problems: string[]) => void) =>
  scopedRequest<T>(['org', 'propId', 'pid'], check);
const reply = objectReply;

/** The incident read commands incident-service serves (structurally `CommandSpec`s of @matrix/messaging). */
export const INCIDENT_COMMANDS = {
  list: {
    subject: 'workforce.incident.list.v1',
    decodeRequest: request<IncidentListRequestV1>((json, problems) => {
      if (json.zoneId !== undefined && !text(json.zoneId)) problems.push('zoneId: must be a zone id');
      if (
        json.statuses !== undefined &&
        !(
          Array.isArray(json.statuses) &&
          json.statuses.every((s) => (INCIDENT_STATUSES_V1 as readonly unknown[]).includes(s))
        )
      ) {
        problems.push(`statuses: must be a list of ${INCIDENT_STATUSES_V1.join(', ')}`);
      }
      if (!seconds(json.from)) problems.push('from: must be epoch seconds');
      if (!seconds(json.to)) problems.push('to: must be epoch seconds');
      if (json.cursor !== undefined && !text(json.cursor)) problems.push('cursor: must be a cursor');
      if (!(Number.isInteger(json.limit) && (json.limit as number) >= 1 && (json.limit as number) <= 1000)) {
        problems.push('limit: must be an integer from 1 to 1000');
      }
    }),
    decodeReply: reply<IncidentListReplyV1>(),
  },
  get: {
    subject: 'workforce.incident.get.v1',
    decodeRequest: request<IncidentGetRequestV1>((json, problems) => {
      if (!text(json.taskId)) problems.push('taskId: must be an incident id');
    }),
    decodeReply: reply<{ incident: Record<string, unknown> }>(),
  },
} as const;
