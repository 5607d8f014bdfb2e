import type { JsonBytes } from '../json-bytes';
import type { RegistryAccess } from '../auth/registry-access';

/** One call of the Matrix actions API, after authentication and parameter checks. */
export interface ActionRequest {
  op: string;
  module: string;
  org: string;
  /** `pid` query parameter; `scnoop` when not applicable. */
  pid: string;
  propid?: string;
  body: Record<string, unknown>;
  /**
   * The body when it is a JSON array, for an op that declares `acceptsList` (`body` is then `{}`):
   * `scmetrics.getModuleTSMetricsBatch` documents a list of requests as its body.
   */
  list?: unknown[];
  access: RegistryAccess;
}

/** What an op answers: the module's envelope is added around it (or `envelope` replaces it whole). */
export interface ActionResult {
  status?: number;
  message?: string;
  data?: unknown;
  /** Extra top-level keys, e.g. `LEK` for the next page. */
  extra?: Record<string, unknown>;
  envelope?: Record<string, unknown>;
}

/**
 * An answer the op serves already serialised (from a cache): `serialised` is handed the module's envelope
 * and returns the answer's bytes, enveloping and serialising a result only when it has none yet. Status 200.
 */
export interface SerialisedActionResult {
  serialised(envelope: (result: ActionResult) => Record<string, unknown>): Promise<JsonBytes>;
}

/** Which query parameter names an op's target: a building (`pid`), a property (`propid`), or neither. */
export type ActionTarget = 'pid' | 'propid' | 'none';

export interface ActionDefinition {
  module: string;
  target: ActionTarget;
  /** Whether the op takes a JSON array body (in `request.list`); every other op refuses one. */
  acceptsList?: boolean;
  handle(request: ActionRequest): Promise<ActionResult | SerialisedActionResult>;
}

/**
 * The ops of one module served in this process: a feature's handler class (e.g. `GridsActions` for
 * `scgrids`), declared in `ActionsModule.forRoot({ modules })` and provided by the feature's Nest module.
 */
export interface LocalActionModule {
  readonly module: string;
  /** By op name (`scgrids.readProperty`); every definition's `module` is this module. */
  readonly ops: Readonly<Record<string, ActionDefinition>>;
}

export const NO_PID = 'scnoop';
