import { CommandError } from '@matrix/messaging';
import { OutboxPayloadTooLargeError } from '@matrix/persistence';
import { SeatNotActiveError } from '../seats/seats.repository';
import { answerOf, composeOps } from './workforce-actions';
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

describe('answerOf', () => {
  it('answers an event too large to publish with LIMIT_VIOLATED naming the op, and a vanished seat with NOT_FOUND', () => {
    const tooLarge = answerOf(
      new OutboxPayloadTooLargeError('matrix.b1.x.SHIFTS_PUBLISHED.NORMAL', 1_200_000, 1_000_000),
      'scteams.publishShifts',
    );
    expect(tooLarge).toBeInstanceOf(CommandError);
    expect(tooLarge).toMatchObject({
      code: 'LIMIT_VIOLATED',
      message: expect.stringMatching(/^scteams\.publishShifts: .*1200000 bytes.*nothing was changed$/),
    });
    expect(answerOf(new SeatNotActiveError('p1_007'), 'scteams.assignIncident')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'seat p1_007 not found',
    });
  });

  it('passes any other failure on as it is', () => {
    const other = new Error('boom');
    expect(answerOf(other, 'scteams.createShift')).toBe(other);
  });
});
