import path from 'node:path';
import type { Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { opStatusMismatches, readOpStatusTable } from '@matrix/testing';
import { Clock } from '../clock/clock';
import { WorkforceActions } from './workforce-actions';

const API_DOC = path.join(__dirname, '../../../../docs/api.md');

/** Stands in for every dependency of an op group: building its op table only keeps them. */
function stub(): unknown {
  return new Proxy(() => undefined, {
    get: (_target, key) => (key === 'then' ? undefined : stub()),
    apply: () => stub(),
  });
}

/*
 * The gateway forwards every `scteams.*` op here (docs/api.md, "Op status"); which of them are served is
 * this service's op table, so this is where the table's `scteams.*` rows are checked against the code.
 */
describe("docs/api.md's op status table, against the workforce ops incident-service serves", () => {
  let served: string[];

  beforeAll(async () => {
    // The op groups WorkforceActions composes, as it declares them (a group added there is read too).
    const groups = (Reflect.getMetadata('design:paramtypes', WorkforceActions) as Type[]).filter(
      (type) => type !== Clock,
    );
    const app = await Test.createTestingModule({ providers: [WorkforceActions, ...groups] })
      .useMocker(stub)
      .compile();
    served = app.get(WorkforceActions).operations;
  });

  it('says implemented exactly for the scteams.* ops served here, and lists every one of them', () => {
    expect(served.length).toBeGreaterThan(100);
    const rows = readOpStatusTable(API_DOC);
    expect(opStatusMismatches(rows, new Set(served), (op) => op.startsWith('scteams.'))).toEqual([]);
    const modules = new Set(rows.filter((row) => row.op.startsWith('scteams.')).map((row) => row.module));
    expect([...modules]).toEqual(['scworkforcemanagement']);
  });
});
