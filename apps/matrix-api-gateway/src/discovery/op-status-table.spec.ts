import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { opStatusMismatches, readOpStatusTable } from '@matrix/testing';
import { isForwarded } from '../actions/action-modules';
import type { LocalActionModule } from '../actions/action.types';
import { ACTION_MODULES } from '../app.module';
import { servedActions, type ServedActions } from './served-actions';

const ROOT = path.join(__dirname, '../../../..');
const API_DOC = path.join(ROOT, 'docs/api.md');

/**
 * The spec that holds a forwarded module's rows to its owner's op table, by module: only the owner knows
 * which of the module's ops it serves, and no app imports another.
 */
const OWNER_CHECKS: Readonly<Record<string, string>> = {
  attendance: 'apps/incident-service/src/attendance/attendance-op-status.spec.ts',
  scworkforcemanagement: 'apps/incident-service/src/actions/workforce-op-status.spec.ts',
};

/** Stands in for every dependency of a handler class: building the ops table only keeps them. */
function stub(): unknown {
  return new Proxy(() => undefined, {
    get: (_target, key) => (key === 'then' ? undefined : stub()),
    apply: () => stub(),
  });
}

describe("docs/api.md's op status table, against the ops the gateway serves", () => {
  const rows = readOpStatusTable(API_DOC);
  let served: ServedActions;
  const forwardedModuleOf = (op: string) => served.forwarded.find((m) => op.startsWith(m.opPrefix));

  beforeAll(async () => {
    // The handler classes of ACTION_MODULES as the app declares them (a module added there is read too).
    const local = ACTION_MODULES.filter((d): d is Type<LocalActionModule> => !isForwarded(d));
    const handlers = await Test.createTestingModule({ providers: local }).useMocker(stub).compile();
    served = servedActions(ACTION_MODULES, (type) => handlers.get(type));
  });

  it('says implemented exactly for the ops the local modules serve, and lists every one of them', () => {
    expect(served.local.size).toBeGreaterThan(0);
    expect(opStatusMismatches(rows, new Set(served.local.keys()), (op) => !forwardedModuleOf(op))).toEqual(
      [],
    );
  });

  it('gives a served op the module of its URL', () => {
    const wrong = rows
      .map(({ op, module }) => ({
        op,
        module,
        served: served.local.get(op) ?? forwardedModuleOf(op)?.module ?? module,
      }))
      .filter(({ module, served }) => module !== served);
    expect(wrong).toEqual([]);
  });

  it("leaves each forwarded module's rows to a check against its owner's op table, which exists", () => {
    expect(served.forwarded.length).toBeGreaterThan(0);
    const checks = served.forwarded.map(({ module }) => {
      const spec = OWNER_CHECKS[module];
      return { module, spec: spec && existsSync(path.join(ROOT, spec)) ? spec : 'none: write one' };
    });
    expect(checks).toEqual(served.forwarded.map(({ module }) => ({ module, spec: OWNER_CHECKS[module] })));
  });
});
