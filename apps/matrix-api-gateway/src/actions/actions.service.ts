import { Inject, Injectable, Optional } from '@nestjs/common';
import type { RegistryAccess } from '../auth/registry-access';
import type { Principal } from '../credentials/principal';
import { DomainError } from '../domain-error';
import type { JsonBytes } from '../json-bytes';
import { ActionError } from './action-error';
import { actionArguments } from './action-arguments';
import { ActionForwarder } from './action-forwarder';
import { ActionModuleRegistry } from './action-modules';
import { FORWARDED_TARGETS, zoneIdsAt, type ForwardedTargetResolver } from './forwarded-targets';
import { NO_PID, type ActionRequest, type ActionResult } from './action.types';

/** An op's answer: a body to serialise, or bytes already serialised (always status 200). */
export type ActionAnswer =
  { status: number; body: Record<string, unknown> } | { status: 200; json: JsonBytes };

export interface ActionCall {
  module: string;
  query: Record<string, unknown>;
  body: unknown;
  access: RegistryAccess;
  /** The caller, as a forwarded module's owner is told it. */
  principal: Principal;
}

/** Envelopes per module (reference §4.1). */
function envelope(module: string, result: ActionResult): { status: number; body: Record<string, unknown> } {
  const status = result.status ?? 200;
  if (result.envelope) return { status, body: result.envelope };
  if (module === 'scgrids') {
    return {
      status,
      body: { status, message: result.message ?? 'Success', data: result.data, ...result.extra },
    };
  }
  return {
    status,
    body: { code: 'SUCCESS', message: result.message ?? 'Success', data: result.data, ...result.extra },
  };
}

const queryText = (query: Record<string, unknown>, key: string): string | undefined => {
  const value = query[key];
  if (Array.isArray(value)) throw new ActionError('WRONG_PARAMETERS', `${key} is given more than once`);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/**
 * Dispatches `POST /prod/v2/<module>/<version>/actions?op=&org=&pid=&propid=` through the module
 * registry: to the op's local handler, or as a command to the service that owns the module's data.
 */
/**
 * `org` values clients send without naming an organisation: `scnoop`, the reference's "not applicable"
 * (its media ops' query strings), and `SMARTCLEAN`, the Python SDK's default for `makeRequest(…, org=…)`.
 * Both are read as the calling credential's organisation, so an SDK left at its defaults works unchanged;
 * any other organisation than the credential's is still not found.
 */
export const ORG_PLACEHOLDERS: ReadonlySet<string> = new Set(['scnoop', 'SMARTCLEAN']);

@Injectable()
export class ActionsService {
  constructor(
    private readonly modules: ActionModuleRegistry,
    private readonly forwarder: ActionForwarder,
    @Optional() @Inject(FORWARDED_TARGETS) private readonly targets?: ForwardedTargetResolver,
  ) {}

  /** Every op this gateway serves, by name. */
  get operations(): string[] {
    return this.modules.operations;
  }

  private resolver(): ForwardedTargetResolver {
    if (!this.targets) {
      throw new Error('a forwarded module resolves targets, but no FORWARDED_TARGETS is provided');
    }
    return this.targets;
  }

  async call({ module, query, body, access, principal }: ActionCall): Promise<ActionAnswer> {
    const op = queryText(query, 'op');
    const given = queryText(query, 'org');
    // A placeholder means the credential's own organisation (the credential decides it, not the query).
    const org = given !== undefined && ORG_PLACEHOLDERS.has(given) ? access.orgId : given;
    const pid = queryText(query, 'pid');
    const missing = [!op && 'op', !org && 'org', !pid && 'pid'].filter(Boolean);
    if (missing.length > 0) {
      throw new ActionError('MISSING_PARAMETERS', `Missing ${missing.join(', ')} in the query string`);
    }
    const resolved = this.modules.resolve(module, op!);
    if (!resolved) {
      throw new ActionError(
        'UNKNOWN_OPERATION',
        `${op} is not an operation of module ${module}; see GET /prod/v2/operations`,
      );
    }
    if (org !== access.orgId) throw new DomainError('NOT_FOUND', `organisation ${org} not found`);
    const target =
      resolved.kind === 'local' ? resolved.definition.target : (resolved.module.target ?? 'none');
    if (target === 'pid' && pid === NO_PID) {
      throw new ActionError('MISSING_PARAMETERS', `${op} needs the building id in pid`);
    }
    const propid = queryText(query, 'propid');
    if (target === 'propid' && !propid && !access.propId) {
      throw new ActionError('MISSING_PARAMETERS', `${op} needs propid`);
    }
    const list =
      resolved.kind === 'local' && resolved.definition.acceptsList && Array.isArray(body)
        ? (body as unknown[])
        : undefined;
    const request: ActionRequest = {
      op: op!,
      module,
      org: org!,
      pid: pid!,
      propid,
      body: list ? {} : actionArguments(body),
      ...(list ? { list } : {}),
      access,
    };
    if (resolved.kind === 'forwarded') {
      const { body: args, access: _access, ...call } = request;
      const caller = {
        accessKey: principal.accessKey,
        org: principal.orgId,
        property: principal.propId,
        role: principal.role,
      };
      const { resolve } = resolved.module;
      const propertyId = propid ?? access.propId ?? undefined;
      const targets = !resolve
        ? {}
        : pid !== NO_PID
          ? await this.resolver().resolve(access, org!, pid!, zoneIdsAt(args, resolve.zoneKeys))
          : propertyId
            ? { property: await this.resolver().property(access, propertyId) }
            : {};
      return envelope(
        module,
        await this.forwarder.forward(resolved.module, { ...call, args, caller, ...targets }),
      );
    }
    const result = await resolved.definition.handle(request);
    if ('serialised' in result) {
      return { status: 200, json: await result.serialised((r) => envelope(module, r).body) };
    }
    return envelope(module, result);
  }
}
