import type { CallOptions, Transport } from '../transport';
import { moduleOf, nextPageKey, pageItems } from './action-modules';
import type { DeviceManagementEnvelope, EnvelopeOf, GridsEnvelope, WorkforceEnvelope } from './envelopes';

/** The query of an actions call (docs/api.md, "Matrix actions API"); each falls back to the client's. */
export interface ActionTarget {
  /** Organisation id; `SMARTCLEAN` (the default) is read by the gateway as the credential's organisation. */
  readonly org?: string;
  /** Building id; `scnoop` (the default) for property- or organisation-level ops. */
  readonly pid?: string;
  /** Property id; required with SC-HMAC (it is signed). */
  readonly propid?: string;
  /** The module path segment, when the op's prefix is not one of the known modules'. */
  readonly module?: string;
}

export type ActionCallOptions = ActionTarget & CallOptions;

/** The client-wide defaults of {@link ActionTarget}. */
export interface ActionDefaults {
  readonly org?: string;
  readonly pid?: string;
  readonly propid?: string;
}

type JsonObject = Record<string, unknown>;

/**
 * The Matrix actions API: `POST <base>/<module>/v1/actions?op=&org=&pid=&propid=` with a JSON body, answering
 * the module's envelope. Ops are POSTs that may change state, so a call is retried only with `retry: true`
 * (or after a 429); the typed read helpers and `pages`/`paginate` set it.
 */
export class MatrixActionsClient {
  constructor(
    /** e.g. `http://127.0.0.1:8080/prod/v2` */
    private readonly baseUrl: string,
    private readonly transport: Transport,
    private readonly defaults: ActionDefaults = {},
  ) {}

  /**
   * Calls `op` with `body` (`{}` when left out; `null` is sent as JSON `null`, "no arguments") and answers
   * the envelope. Throws `MatrixApiError` (with `envelope`) for an answer outside 2xx, and (with the start
   * of the text as `body`) for a 2xx answer that is not JSON.
   */
  async call<Op extends string, T = EnvelopeOf<Op>>(
    op: Op,
    body: unknown = {},
    options: ActionCallOptions = {},
  ): Promise<T> {
    const module = options.module ?? moduleOf(op);
    if (!module) throw new TypeError(`no module known for op ${op}: pass { module }`);
    const auth = this.transport.options.auth;
    const propid =
      options.propid ?? this.defaults.propid ?? (auth.type === 'sc-hmac' ? auth.propId : undefined);
    if (auth.type === 'sc-hmac' && propid === undefined) {
      throw new TypeError(
        `${op}: propid is required when signing with SC-HMAC v1 (it is part of the signature)`,
      );
    }
    const query = new URLSearchParams({
      op,
      org: options.org ?? this.defaults.org ?? 'SMARTCLEAN',
      pid: options.pid ?? this.defaults.pid ?? 'scnoop',
      ...(propid === undefined ? {} : { propid }),
    });
    const url = new URL(`${this.baseUrl.replace(/\/+$/, '')}/${module}/v1/actions?${query}`);
    return (await this.transport.sendJson(
      {
        method: 'POST',
        url,
        headers: new Headers({ 'content-type': 'application/json', accept: 'application/json' }),
        body: JSON.stringify(body),
        scope: { module, propid: propid ?? '', op },
        idempotent: false,
        description: { method: 'POST', path: url.pathname, op },
      },
      options,
    )) as T;
  }

  /**
   * Each page of a paged op — `ESK`/`LEK` (scgrids), `LastEvaluatedKey` (scteams), `LastKey` (event logs) —
   * from the key in `body` (or the first page) to the last. Retried as a read unless `retry: false`.
   */
  async *pages<Op extends string, T = EnvelopeOf<Op>>(
    op: Op,
    body: JsonObject = {},
    options: ActionCallOptions = {},
  ): AsyncGenerator<T, void, undefined> {
    let next: JsonObject = body;
    const seen = new Set<string>();
    for (;;) {
      const page = await this.call<Op, T>(op, next, { retry: true, ...options });
      yield page;
      const key = nextPageKey(page);
      if (!key) return;
      // A server answering a key it answered before would page forever.
      if (seen.has(key.value)) throw new Error(`${op} answered the page key ${key.value} twice`);
      seen.add(key.value);
      next = { ...body, [key.key]: key.value };
    }
  }

  /** Each item across the pages of a paged op: `data`'s elements (a map's `[key, value]` entries). */
  async *paginate<T = unknown>(
    op: string,
    body: JsonObject = {},
    options: ActionCallOptions = {},
  ): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages(op, body, options)) yield* pageItems(page) as T[];
  }

  // Typed helpers of common reads and writes (retried as reads where they only read).

  /** `scgrids.listProperties`: the properties the credential can see. */
  async listProperties(options: ActionCallOptions = {}): Promise<JsonObject[]> {
    return (
      await this.call<'scgrids.listProperties', GridsEnvelope<JsonObject[]>>(
        'scgrids.listProperties',
        null,
        read(options),
      )
    ).data;
  }

  /** `scgrids.readProperty` of `options.propid` (else the client's). */
  async readProperty(options: ActionCallOptions = {}): Promise<JsonObject> {
    return (
      await this.call<'scgrids.readProperty', GridsEnvelope<JsonObject>>(
        'scgrids.readProperty',
        null,
        read(options),
      )
    ).data;
  }

  /** `scgrids.readBuilding`. */
  async readBuilding(pid: string, options: ActionCallOptions = {}): Promise<JsonObject> {
    return (
      await this.call<'scgrids.readBuilding', GridsEnvelope<JsonObject>>(
        'scgrids.readBuilding',
        null,
        read({ ...options, pid }),
      )
    ).data;
  }

  /** `scgrids.buildingZoneMap`, every page merged: zone id (InsID) → name. */
  async buildingZoneMap(pid: string, options: ActionCallOptions = {}): Promise<Record<string, string>> {
    const zones: Record<string, string> = {};
    for await (const page of this.pages<'scgrids.buildingZoneMap', GridsEnvelope<Record<string, string>>>(
      'scgrids.buildingZoneMap',
      {},
      { ...options, pid },
    )) {
      Object.assign(zones, page.data);
    }
    return zones;
  }

  /** `scgrids.listZonesByBuilding`, across pages. */
  listZonesByBuilding(
    pid: string,
    options: ActionCallOptions = {},
  ): AsyncGenerator<JsonObject, void, undefined> {
    return this.paginate<JsonObject>('scgrids.listZonesByBuilding', {}, { ...options, pid });
  }

  /**
   * `scteams.createIncidentWithoutAssignee`: an open incident in a zone. Not retried unless `retry: true`
   * (the server dedupes by content, but an incident without `Start` starts at each attempt's time).
   */
  async createIncidentWithoutAssignee(
    pid: string,
    incident: { Name: string; Priority: string; Zone: string } & JsonObject,
    options: ActionCallOptions = {},
  ): Promise<JsonObject> {
    return (
      await this.call<'scteams.createIncidentWithoutAssignee', WorkforceEnvelope<JsonObject>>(
        'scteams.createIncidentWithoutAssignee',
        { Incident: incident },
        { ...options, pid },
      )
    ).data;
  }

  /** `scdevicemanagement.getDeviceSlots` of the given aliases (the visible ones). */
  async getDeviceSlots(aliases: readonly string[], options: ActionCallOptions = {}): Promise<JsonObject[]> {
    const envelope = await this.call<'scdevicemanagement.getDeviceSlots', DeviceManagementEnvelope>(
      'scdevicemanagement.getDeviceSlots',
      { Alias: aliases },
      read(options),
    );
    return envelope.Slots ?? [];
  }
}

/** A call safe to repeat: retried unless the caller said otherwise. */
function read(options: ActionCallOptions): ActionCallOptions {
  return { retry: true, ...options };
}
