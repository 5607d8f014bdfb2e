import { INCIDENT_STATUSES_V1, type IncidentStatusV1 } from '@matrix/contracts';
import { parseInstant } from '../sensor-data/time';
import { fields, MAX_TEXT, Problems, text } from '../workforce/inputs';

/*
 * REST v1 incident inputs: checked here, every problem named (`zoneId: is required`), before anything is
 * forwarded; unknown fields and query parameters are refused so a typo never silently does nothing.
 */

export const PRIORITIES = ['H', 'M', 'N', 'L'] as const;
export const TRANSITION_ACTIONS = ['assign', 'start', 'complete', 'escalate', 'reassign', 'reopen'] as const;
export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];
export const INCIDENT_PAGE = { default: 100, max: 1000 };
const MAX_TASKS = 20;

export interface CreateIncidentInput {
  zoneId: string;
  name: string;
  priority: (typeof PRIORITIES)[number];
  /** Epoch seconds. */
  startBy?: number;
  due?: number;
  tasks: string[];
  seatId?: string;
  eventSource?: string;
  reportedBy?: string;
}

export interface TransitionInput {
  action: TransitionAction;
  seatId?: string;
  startBy?: number;
  due?: number;
}

export interface CommentInput {
  comment: string;
  userName: string;
}

export interface IncidentListQuery {
  zoneId?: string;
  statuses?: IncidentStatusV1[];
  from?: number;
  to?: number;
  cursor?: string;
  limit: number;
}

function time(body: Record<string, unknown>, key: string, problems: Problems): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const at = typeof value === 'string' ? parseInstant(value) : undefined;
  if (at === undefined) {
    return problems.add(`${key}: must be an ISO 8601 time with an offset, e.g. 2026-12-01T09:30:00Z`);
  }
  return Math.floor(at / 1000);
}

function ordered(startBy: number | undefined, due: number | undefined, problems: Problems): void {
  if (startBy !== undefined && due !== undefined && due < startBy) {
    problems.add('due: must not be before startBy');
  }
}

/** `POST /v1/buildings/{pid}/incidents`: open, or assigned to `seatId`. */
export function checkCreateIncident(body: unknown): CreateIncidentInput {
  const problems = new Problems();
  const raw = fields(
    body,
    ['zoneId', 'name', 'priority', 'startBy', 'due', 'tasks', 'seatId', 'eventSource', 'reportedBy'],
    problems,
  );
  const zoneId = text(raw, 'zoneId', problems, true);
  const name = text(raw, 'name', problems, true);
  let priority: CreateIncidentInput['priority'] = 'N';
  if (raw['priority'] !== undefined) {
    if ((PRIORITIES as readonly unknown[]).includes(raw['priority'])) {
      priority = raw['priority'] as CreateIncidentInput['priority'];
    } else problems.add(`priority: must be one of ${PRIORITIES.join(', ')}`);
  }
  const startBy = time(raw, 'startBy', problems);
  const due = time(raw, 'due', problems);
  ordered(startBy, due, problems);
  let tasks: string[] = [];
  if (raw['tasks'] !== undefined) {
    const list = raw['tasks'];
    if (
      !Array.isArray(list) ||
      list.length > MAX_TASKS ||
      !list.every((t) => typeof t === 'string' && t.trim() !== '' && t.length <= MAX_TEXT)
    ) {
      problems.add(`tasks: must be a list of at most ${MAX_TASKS} task names`);
    } else tasks = list as string[];
  }
  const seatId = text(raw, 'seatId', problems, false);
  const eventSource = text(raw, 'eventSource', problems, false);
  const reportedBy = text(raw, 'reportedBy', problems, false);
  if (seatId !== undefined && reportedBy !== undefined) {
    problems.add('reportedBy: is recorded for open incidents only (leave it out with seatId)');
  }
  problems.throwIfAny('incident');
  return {
    zoneId: zoneId!,
    name: name!,
    priority,
    tasks,
    ...(startBy !== undefined ? { startBy } : {}),
    ...(due !== undefined ? { due } : {}),
    ...(seatId !== undefined ? { seatId } : {}),
    ...(eventSource !== undefined ? { eventSource } : {}),
    ...(reportedBy !== undefined ? { reportedBy } : {}),
  };
}

/** `POST …/incidents/{incidentId}/transitions`: `{action, seatId?, startBy?, due?}`. */
export function checkTransition(body: unknown): TransitionInput {
  const problems = new Problems();
  const raw = fields(body, ['action', 'seatId', 'startBy', 'due'], problems);
  const action = raw['action'];
  if (action === undefined) problems.add('action: is required');
  else if (!(TRANSITION_ACTIONS as readonly unknown[]).includes(action)) {
    problems.add(`action: must be one of ${TRANSITION_ACTIONS.join(', ')}`);
  }
  const seatId = text(raw, 'seatId', problems, action === 'assign' || action === 'reassign');
  if (seatId !== undefined && !['assign', 'reassign', 'start'].includes(action as string)) {
    problems.add(`seatId: is not taken by ${String(action)}`);
  }
  const startBy = time(raw, 'startBy', problems);
  const due = time(raw, 'due', problems);
  if ((startBy !== undefined || due !== undefined) && action !== 'reassign' && action !== 'reopen') {
    problems.add(`startBy, due: are taken by reassign and reopen only`);
  }
  ordered(startBy, due, problems);
  problems.throwIfAny('transition');
  return {
    action: action as TransitionAction,
    ...(seatId !== undefined ? { seatId } : {}),
    ...(startBy !== undefined ? { startBy } : {}),
    ...(due !== undefined ? { due } : {}),
  };
}

/** `POST …/comments`: `{comment, userName}`. */
export function checkComment(body: unknown): CommentInput {
  const problems = new Problems();
  const raw = fields(body, ['comment', 'userName'], problems);
  const comment = text(raw, 'comment', problems, true);
  const userName = text(raw, 'userName', problems, true);
  problems.throwIfAny('comment');
  return { comment: comment!, userName: userName! };
}

function one(raw: Record<string, unknown>, key: string, problems: Problems): string | undefined {
  const value = raw[key];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') return problems.add(`${key}: must be given once`);
  return value;
}

/** `GET /v1/buildings/{pid}/incidents?zoneId=&status=&from=&to=&cursor=&limit=`. */
export function parseIncidentListQuery(raw: Record<string, unknown>): IncidentListQuery {
  const problems = new Problems();
  const known = ['zoneId', 'status', 'from', 'to', 'cursor', 'limit'];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      problems.add(`${key}: is not a known query parameter (known: ${known.join(', ')})`);
    }
  }
  const zoneId = one(raw, 'zoneId', problems);
  let statuses: IncidentStatusV1[] | undefined;
  if (raw['status'] !== undefined && raw['status'] !== '') {
    const values = (Array.isArray(raw['status']) ? raw['status'] : [raw['status']]).flatMap((v) =>
      typeof v === 'string' ? v.split(',') : [v],
    );
    if (values.every((v) => (INCIDENT_STATUSES_V1 as readonly unknown[]).includes(v))) {
      statuses = [...new Set(values as IncidentStatusV1[])];
    } else {
      problems.add(`status: must be any of ${INCIDENT_STATUSES_V1.join(', ')} (comma-separated or repeated)`);
    }
  }
  const from = time({ from: one(raw, 'from', problems) }, 'from', problems);
  const to = time({ to: one(raw, 'to', problems) }, 'to', problems);
  if (from !== undefined && to !== undefined && to <= from) problems.add('to: must be after from');
  const cursor = one(raw, 'cursor', problems);
  const limitText = one(raw, 'limit', problems);
  let limit = INCIDENT_PAGE.default;
  if (limitText !== undefined) {
    limit = /^\d{1,6}$/.test(limitText) ? Number(limitText) : Number.NaN;
    if (!(limit >= 1 && limit <= INCIDENT_PAGE.max)) {
      problems.add(`limit: must be a whole number from 1 to ${INCIDENT_PAGE.max}`);
    }
  }
  problems.throwIfAny('query');
  return {
    limit,
    ...(zoneId !== undefined ? { zoneId } : {}),
    ...(statuses !== undefined ? { statuses } : {}),
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    ...(cursor !== undefined ? { cursor } : {}),
  };
}
