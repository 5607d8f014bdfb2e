import type { NormalisedSensorDataPointV1 } from '@matrix/contracts';
import type { InboundMessage } from '@matrix/messaging';
import { MetricsService } from '@matrix/platform';
import type { Clock } from '../clock/clock';
import { SolutionSensorDataHandler } from './sensor-data.handler';
import type { SolutionsLeadership } from './solutions-leadership';
import type { AppliedBatch, SolutionsService } from './solutions.service';
import { noCounts } from './solution-engine';

const point = (devId: string): NormalisedSensorDataPointV1 =>
  ({
    t: '20260304100000',
    v: { count: 1, out_count: 0 },
    unixT: 1_772_589_600_000,
    DEVID: devId,
    Region: 'UTC',
    time: '2026-03-04T10:00:00+0000',
    DevType: 'SMARTCLEAN#PPLCTR',
    PID: 'b1',
    PropId: 'p1',
    InsID: 'wc1',
    dow: '3',
    month: '03',
    hour: '10',
    dom: '04',
    minute: '00',
  }) as NormalisedSensorDataPointV1;

function message(seq: number): InboundMessage<NormalisedSensorDataPointV1[]> & { working: jest.Mock } {
  return {
    data: [point(`pc${seq}`)],
    subject: 'sensor.data.b1.SMARTCLEAN.PPLCTR',
    streamSequence: seq,
    msgId: `m${seq}`,
    headers: { 'Matrix-Reading-Ids': `r${seq}` },
    deliveryCount: 1,
    working: jest.fn(),
  } as unknown as InboundMessage<NormalisedSensorDataPointV1[]> & { working: jest.Mock };
}

describe('SolutionSensorDataHandler', () => {
  let leadership: { isLeader: boolean };
  beforeEach(() => {
    jest.useFakeTimers();
    leadership = { isLeader: true };
  });
  afterEach(() => jest.useRealTimers());

  it('reports its messages in progress every 3 s while their batch waits for its checkpoint, and stops once it is applied', async () => {
    let finish!: (applied: AppliedBatch) => void;
    const solutions = {
      apply: jest.fn(() => new Promise<AppliedBatch>((resolve) => (finish = resolve))),
    } as unknown as SolutionsService;
    const clock = { now: () => new Date(1_772_589_600_000) } as Clock;
    const handler = new SolutionSensorDataHandler(
      solutions,
      leadership as unknown as SolutionsLeadership,
      clock,
      new MetricsService('test'),
    );
    const messages = [message(1), message(2)];
    const outcomes = handler.handle(messages);
    jest.advanceTimersByTime(2999);
    expect(messages.map((m) => m.working.mock.calls.length)).toEqual([0, 0]);
    jest.advanceTimersByTime(1);
    expect(messages.map((m) => m.working.mock.calls.length)).toEqual([1, 1]);
    jest.advanceTimersByTime(6000);
    expect(messages.map((m) => m.working.mock.calls.length)).toEqual([3, 3]);
    finish({ counts: { ...noCounts(), unknownBuilding: 0 }, incidents: [] });
    expect((await outcomes).map((o) => o.kind)).toEqual(['done', 'done']);
    jest.advanceTimersByTime(10_000);
    expect(messages.map((m) => m.working.mock.calls.length)).toEqual([3, 3]);
  });

  it('stops reporting when the batch fails, and lets the failure through (the messages are retried)', async () => {
    let fail!: (error: Error) => void;
    const solutions = {
      apply: jest.fn(() => new Promise<AppliedBatch>((_resolve, reject) => (fail = reject))),
    } as unknown as SolutionsService;
    const handler = new SolutionSensorDataHandler(
      solutions,
      leadership as unknown as SolutionsLeadership,
      { now: () => new Date(0) } as Clock,
      new MetricsService('test'),
    );
    const messages = [message(3)];
    const outcomes = handler.handle(messages);
    jest.advanceTimersByTime(3000);
    fail(new Error('a checkpoint of the solutions failed'));
    await expect(outcomes).rejects.toThrow('a checkpoint of the solutions failed');
    jest.advanceTimersByTime(9000);
    expect(messages[0]!.working).toHaveBeenCalledTimes(1);
  });

  it('stops reporting once this replica no longer leads the solutions, and after a minute at most', async () => {
    const solutions = {
      apply: jest.fn(() => new Promise<AppliedBatch>(() => undefined)),
    } as unknown as SolutionsService;
    const handler = new SolutionSensorDataHandler(
      solutions,
      leadership as unknown as SolutionsLeadership,
      { now: () => new Date(0) } as Clock,
      new MetricsService('test'),
    );
    const [lost, capped] = [[message(4)], [message(5)]];
    void handler.handle(lost);
    jest.advanceTimersByTime(3000);
    expect(lost[0]!.working).toHaveBeenCalledTimes(1);
    leadership.isLeader = false;
    jest.advanceTimersByTime(9000);
    expect(lost[0]!.working).toHaveBeenCalledTimes(1);
    leadership.isLeader = true;
    void handler.handle(capped);
    jest.advanceTimersByTime(120_000);
    // 3 s … 60 s: twenty reports, none after the minute.
    expect(capped[0]!.working).toHaveBeenCalledTimes(20);
  });

  it('logs a batch that reached it long after it was stored, or was delivered again, and not an ordinary one', async () => {
    const warn = jest.fn();
    const solutions = {
      apply: jest.fn(async () => ({ counts: { ...noCounts(), unknownBuilding: 0 }, incidents: [] })),
    } as unknown as SolutionsService;
    const handler = new SolutionSensorDataHandler(
      solutions,
      leadership as unknown as SolutionsLeadership,
      { now: () => new Date(0) } as Clock,
      new MetricsService('test'),
      { warn } as never,
    );
    const fresh = { ...message(6), storedAt: new Date(Date.now()) };
    await handler.handle([fresh] as never);
    expect(warn).not.toHaveBeenCalled();
    const late = { ...message(7), storedAt: new Date(Date.now() - 20_000) };
    const again = { ...message(8), storedAt: new Date(Date.now()), deliveryCount: 3 };
    await handler.handle([late] as never);
    await handler.handle([again] as never);
    expect(warn.mock.calls.map(([text]) => text)).toEqual([
      expect.stringMatching(
        /^a batch of 1 messages \(stream sequences 7–7, delivered up to 1 times\) reached the handler 20\.0 s after it was stored/,
      ),
      expect.stringMatching(/stream sequences 8–8, delivered up to 3 times/),
    ]);
  });
});
