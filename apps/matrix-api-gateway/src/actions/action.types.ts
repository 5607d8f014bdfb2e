import type { RegistryAccess } from '../registry/registry-access';

/** One call of the Matrix actions API, after authentication and parameter checks. */
export interface ActionRequest {
  op: string;
  module: string;
  org: string;
  /** `pid` query parameter; `scnoop` when not applicable. */
  pid: string;
  propid?: string;
  body: Record<string, unknown>;
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

export interface ActionDefinition {
  module: string;
  /** Which query parameter names the target: a building (`pid`), a property (`propid`), or neither. */
  target: 'pid' | 'propid' | 'none';
  handle(request: ActionRequest): Promise<ActionResult>;
}

export const NO_PID = 'scnoop';
