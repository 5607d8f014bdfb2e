import type { Type } from '@nestjs/common';
import type { ActionDefinition, ActionTarget, LocalActionModule } from './action.types';

/**
 * A module whose ops are served by the service that owns its data: each call is forwarded over NATS
 * request/reply as the typed command `actionCommandV1(forwardTo)` of @matrix/contracts. Declaring one is
 * all it takes, e.g. `{ module: 'scworkforcemanagement', opPrefix: 'scteams.', forwardTo: 'workforce.action.call.v1' }`.
 */
export interface ForwardedActionModule {
  readonly module: string;
  /** The module's ops start with this (`scteams.`); the owner answers UNKNOWN_OPERATION for one it lacks. */
  readonly opPrefix: string;
  /** The command subject the owning service serves (`<domain>.<entity>.<imperative>.v<major>`). */
  readonly forwardTo: string;
  /** Longest wait for the owner's answer (default 5 s); then 503 SERVICE_UNAVAILABLE, never a hang. */
  readonly timeoutMs?: number;
  /** Which query parameter must name the target before forwarding (default `none`: the owner checks). */
  readonly target?: ActionTarget;
  /**
   * When a call names a building (`pid` other than `scnoop`): the gateway checks the caller may see it
   * (404 otherwise) and sends it, with the zones the arguments name at `zoneKeys` (404 for one that is
   * not in the building), as the command's `building` and `zones`; a call without a building
   * (`pid=scnoop`) gets its property (`propid`, else the credential's; 404 when not the caller's) as
   * `property`. The owner never reads the registry.
   */
  readonly resolve?: { readonly zoneKeys: readonly string[] };
}

/** An entry of the actions API's module registry: a local handler class, or a forwarded module. */
export type ActionModuleDeclaration = Type<LocalActionModule> | ForwardedActionModule;

export const isForwarded = (declaration: ActionModuleDeclaration): declaration is ForwardedActionModule =>
  typeof declaration !== 'function';

/** How `(module, op)` is served. */
export type ResolvedAction =
  { kind: 'local'; definition: ActionDefinition } | { kind: 'forwarded'; module: ForwardedActionModule };

/** Every module of the actions API: resolves a call to its local handler or the service it is forwarded to. */
export class ActionModuleRegistry {
  private readonly ops = new Map<string, ActionDefinition>();
  private readonly forwarded = new Map<string, ForwardedActionModule>();

  constructor(local: readonly LocalActionModule[], forwarded: readonly ForwardedActionModule[]) {
    const modules = new Set<string>();
    const claim = (module: string) => {
      if (modules.has(module)) throw new Error(`actions module ${module} is declared twice`);
      modules.add(module);
    };
    for (const handler of local) {
      claim(handler.module);
      for (const [op, definition] of Object.entries(handler.ops)) {
        if (definition.module !== handler.module) {
          throw new Error(
            `${op} is declared for module ${definition.module} by the ${handler.module} handler`,
          );
        }
        if (this.ops.has(op)) throw new Error(`${op} is declared twice`);
        this.ops.set(op, definition);
      }
    }
    for (const module of forwarded) {
      claim(module.module);
      this.forwarded.set(module.module, module);
    }
  }

  resolve(module: string, op: string): ResolvedAction | undefined {
    const definition = this.ops.get(op);
    if (definition) return definition.module === module ? { kind: 'local', definition } : undefined;
    const forwarded = this.forwarded.get(module);
    if (forwarded && op.startsWith(forwarded.opPrefix) && op.length > forwarded.opPrefix.length) {
      return { kind: 'forwarded', module: forwarded };
    }
    return undefined;
  }

  /** Every op served, by name; a forwarded module as `<opPrefix>*`. */
  get operations(): string[] {
    return [...this.ops.keys(), ...[...this.forwarded.values()].map((m) => `${m.opPrefix}*`)].sort();
  }
}
