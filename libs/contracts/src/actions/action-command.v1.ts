import type { Checked } from '../subscriptions/subscription.v1';

/*
 * ⚠️ The command a Matrix actions API call becomes when its module is owned by another service (the
 * gateway's module registry forwards it; e.g. `scworkforcemanagement`, ops `scteams.*`). The owner
 * answers with the op's result, which the gateway wraps in the module's envelope, or refuses with a
 * Matrix actions error code (`NOT_FOUND`, `WRONG_PARAMETERS`, `UNKNOWN_OPERATION`, …) as the command
 * error's code; any other code is answered as an internal failure.
 */

/** The authenticated caller, as the gateway resolved it from the API credential. */
export interface ActionCallerV1 {
  accessKey: string;
  org: string;
  /** The credential's property, or null for an organisation-wide credential. */
  property: string | null;
  role: 'read' | 'write' | 'admin';
}

/** The building named by `pid`, as the gateway resolved it after checking the caller may see it. */
export interface ActionBuildingV1 {
  pid: string;
  org: string;
  propId: string;
  name: string;
  timeZone: string;
}

/** The property a call without a building names (`propid`, or the credential's), tenancy checked. */
export interface ActionPropertyV1 {
  org: string;
  propId: string;
}

/** A zone of that building the arguments name, as the gateway's registry knows it. */
export interface ActionZoneV1 {
  name: string;
  categoryId: string | null;
}

/** One call of an op: the query parameters, the body's arguments (an object, `{}` for none) and the caller. */
export interface ActionCommandV1 {
  module: string;
  op: string;
  org: string;
  /** `scnoop` when not applicable. */
  pid: string;
  propid?: string;
  args: Record<string, unknown>;
  caller: ActionCallerV1;
  /**
   * For a module declared with `resolve` (the workforce one): the building `pid` names, tenancy already
   * checked (another tenant's building is a 404 at the gateway), and every zone of it the arguments name
   * at the module's zone keys, by id (a zone id that is not in the building is a 404 at the gateway).
   */
  building?: ActionBuildingV1;
  zones?: Record<string, ActionZoneV1>;
  /** For such a module called without a building (`pid=scnoop`): the property, tenancy checked (404 otherwise). */
  property?: ActionPropertyV1;
}

/** The command subject of the workforce module (`scworkforcemanagement`, ops `scteams.*`), served by incident-service. */
export const WORKFORCE_ACTIONS_SUBJECT = 'workforce.action.call.v1';

/** The op's result: the module's envelope is added around it, or `envelope` replaces it whole. */
export interface ActionCommandReplyV1 {
  status?: number;
  message?: string;
  data?: unknown;
  /** Extra top-level keys, e.g. `LEK` for the next page. */
  extra?: Record<string, unknown>;
  envelope?: Record<string, unknown>;
}

type Decoder<T> = (json: unknown, subject: string) => Checked<T>;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown) => typeof value === 'string' && value.length > 0;

const decodeActionCommand: Decoder<ActionCommandV1> = (json) => {
  if (!isObject(json)) return { ok: false, errors: ['request: must be an object'] };
  const problems: string[] = [];
  for (const key of ['module', 'op', 'org', 'pid'] as const) {
    if (!text(json[key])) problems.push(`${key}: must be a non-empty string`);
  }
  if (json.propid !== undefined && !text(json.propid)) problems.push('propid: must be a non-empty string');
  if (!isObject(json.args)) problems.push('args: must be an object');
  const caller = json.caller;
  if (!isObject(caller) || !text(caller.accessKey) || !text(caller.org)) {
    problems.push('caller: must name the access key and organisation');
  } else {
    if (caller.property !== null && !text(caller.property)) {
      problems.push('caller.property: must be an id or null');
    }
    if (!['read', 'write', 'admin'].includes(caller.role as string)) {
      problems.push('caller.role: must be a role');
    }
  }
  const building = json.building;
  if (
    building !== undefined &&
    (!isObject(building) || !['pid', 'org', 'propId', 'name', 'timeZone'].every((k) => text(building[k])))
  ) {
    problems.push('building: must name the pid, org, propId, name and timeZone');
  }
  const property = json.property;
  if (property !== undefined && (!isObject(property) || !text(property.org) || !text(property.propId))) {
    problems.push('property: must name the org and propId');
  }
  const zones = json.zones;
  if (
    zones !== undefined &&
    (!isObject(zones) || !Object.values(zones).every((z) => isObject(z) && typeof z.name === 'string'))
  ) {
    problems.push('zones: must map zone ids to their name and category');
  }
  return problems.length
    ? { ok: false, errors: problems }
    : { ok: true, value: json as unknown as ActionCommandV1 };
};

const decodeActionCommandReply: Decoder<ActionCommandReplyV1> = (json) => {
  if (!isObject(json)) return { ok: false, errors: ['reply: must be an object'] };
  const problems: string[] = [];
  if (
    json.status !== undefined &&
    !(Number.isInteger(json.status) && (json.status as number) >= 200 && (json.status as number) < 300)
  ) {
    problems.push('status: must be a 2xx status');
  }
  if (json.message !== undefined && typeof json.message !== 'string') {
    problems.push('message: must be a string');
  }
  if (json.extra !== undefined && !isObject(json.extra)) problems.push('extra: must be an object');
  if (json.envelope !== undefined && !isObject(json.envelope)) problems.push('envelope: must be an object');
  return problems.length
    ? { ok: false, errors: problems }
    : { ok: true, value: json as ActionCommandReplyV1 };
};

/** The command (structurally a `CommandSpec` of @matrix/messaging) of a forwarded module at `subject`. */
export function actionCommandV1(subject: string, timeoutMs?: number) {
  return {
    subject,
    decodeRequest: decodeActionCommand,
    decodeReply: decodeActionCommandReply,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
}
