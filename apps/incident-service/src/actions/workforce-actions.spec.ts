import { composeOps } from './workforce-actions';
import type { Handler } from '../ops/op-table';

const handler: Handler = () => Promise.resolve({ data: null });
const other: Handler = () => Promise.resolve({ data: 1 });

describe('composeOps', () => {
  it('serves every op of every group under its own handler', () => {
    const ops = composeOps([{ ops: { 'scteams.a': handler } }, { ops: { 'scteams.b': other } }]);
    expect(Object.keys(ops).sort()).toEqual(['scteams.a', 'scteams.b']);
    expect(ops['scteams.b']).toBe(other);
  });

  it('refuses an op that two groups name', () => {
    expect(() => composeOps([{ ops: { 'scteams.a': handler } }, { ops: { 'scteams.a': other } }])).toThrow(
      'scteams.a is served by two op groups',
    );
  });
});
