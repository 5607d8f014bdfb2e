import type { Type } from '@nestjs/common';
import { isForwarded, type ActionModuleDeclaration } from '../actions/action-modules';
import type { LocalActionModule } from '../actions/action.types';

/** What the actions API serves, read from the same declarations its module registry is built from. */
export interface ServedActions {
  /** The module path segments (`<module>` in `/<module>/<version>/actions`), sorted. */
  readonly modules: readonly string[];
  /** Every op a local handler serves here, with its module (`scgrids.readZone` → `scgrids`). */
  readonly local: ReadonlyMap<string, string>;
  /** The modules whose ops go to the service that owns their data, and the prefix of those ops. */
  readonly forwarded: readonly { readonly module: string; readonly opPrefix: string }[];
}

/**
 * The modules and ops of the actions API's declarations (`ACTION_MODULES`): a local handler class is
 * asked for its module and ops through `instanceOf` (its instance in the app, or a test's); a forwarded
 * module contributes its op prefix — which of those ops its owner serves, only the owner knows.
 */
export function servedActions(
  declarations: readonly ActionModuleDeclaration[],
  instanceOf: (type: Type<LocalActionModule>) => LocalActionModule,
): ServedActions {
  const modules = new Set<string>();
  const local = new Map<string, string>();
  const forwarded: { module: string; opPrefix: string }[] = [];
  for (const declaration of declarations) {
    if (isForwarded(declaration)) {
      modules.add(declaration.module);
      forwarded.push({ module: declaration.module, opPrefix: declaration.opPrefix });
      continue;
    }
    const handler = instanceOf(declaration);
    modules.add(handler.module);
    for (const op of Object.keys(handler.ops)) local.set(op, handler.module);
  }
  return { modules: [...modules].sort(), local, forwarded };
}
