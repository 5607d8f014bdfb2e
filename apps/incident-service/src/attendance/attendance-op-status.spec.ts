import path from 'node:path';
import { opStatusMismatches, readOpStatusTable } from '@matrix/testing';
import { AttendanceActions } from './attendance-actions';

const API_DOC = path.join(__dirname, '../../../../docs/api.md');

/*
 * The gateway forwards every `scattendance.*` op here (docs/api.md, "Op status"); which of them are served
 * is this service's op table, so this is where the table's `scattendance.*` rows are checked against the code.
 */
describe("docs/api.md's op status table, against the attendance ops incident-service serves", () => {
  it('says implemented exactly for the scattendance.* ops served here, and lists every one of them', () => {
    // Building the op table only keeps the dependencies.
    const served = new AttendanceActions(
      ...([undefined, undefined, undefined, undefined] as unknown as [never, never, never, never]),
    ).operations;
    expect(served).toEqual(['scattendance.attendanceEvent', 'scattendance.readIntegration']);
    const rows = readOpStatusTable(API_DOC);
    expect(opStatusMismatches(rows, new Set(served), (op) => op.startsWith('scattendance.'))).toEqual([]);
    const modules = new Set(
      rows.filter((row) => row.op.startsWith('scattendance.')).map((row) => row.module),
    );
    expect([...modules]).toEqual(['attendance']);
  });
});
