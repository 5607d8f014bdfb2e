import {
  redactConnectionString,
  sinkBackoffMs,
  sinkLagSeconds,
  sinkStatus,
  type SinkStatusRow,
} from './sink-status';

describe('redactConnectionString', () => {
  it.each([
    ['postgres://app:s3cret@db.example.com:5432/matrix', 'postgres://app@db.example.com:5432/matrix'],
    ['postgresql://app@db/matrix?sslmode=require', 'postgresql://app@db/matrix?sslmode=require'],
    [
      'postgres://db/matrix?user=app&password=s3cret&sslmode=verify-full',
      'postgres://db/matrix?user=app&sslmode=verify-full',
    ],
    ['postgres://app:pw@db/matrix?sslpassword=keypass&PASSWORD=x', 'postgres://app@db/matrix'],
  ])('%s → %s', (url, shown) => {
    expect(redactConnectionString(url)).toBe(shown);
  });
});

describe('sinkBackoffMs', () => {
  it.each([
    // failures, max, random → wait: 1 s doubling, drawn from the upper half, capped
    [1, 300_000, 0, 500],
    [1, 300_000, 0.999_999, 1000],
    [2, 300_000, 0, 1000],
    [4, 300_000, 0.5, 6000],
    [9, 300_000, 1, 256_000],
    [10, 300_000, 1, 300_000],
    [10, 300_000, 0, 150_000],
    [500, 300_000, 0, 150_000],
    [3, 1000, 1, 1000],
  ])('after %i failures (max %i, random %d) waits %i ms', (failures, max, random, wait) => {
    expect(sinkBackoffMs(failures, max, random)).toBe(wait);
  });
});

describe('sinkLagSeconds', () => {
  const now = new Date('2026-12-07T12:00:10Z');
  it('is 0 when caught up, the time since it last was otherwise, null before it ever was', () => {
    expect(sinkLagSeconds(true, null, now)).toBe(0);
    expect(sinkLagSeconds(false, new Date('2026-12-07T12:00:00Z'), now)).toBe(10);
    expect(sinkLagSeconds(false, null, now)).toBeNull();
  });
});

describe('sinkStatus', () => {
  const row: SinkStatusRow = {
    prop_id: 'p1',
    target_redacted: 'postgres://app@db/matrix',
    generation: 1,
    created_at: new Date('2026-12-07T11:00:00Z'),
    updated_at: new Date('2026-12-07T11:00:00Z'),
    sensor_copied: '10',
    sensor_projected: '10',
    events_copied: '3',
    events_projected: '3',
    caught_up_at: new Date('2026-12-07T11:59:00Z'),
    last_copy_at: new Date('2026-12-07T11:59:00Z'),
    last_error: null,
    last_error_at: null,
    next_attempt_at: null,
  };
  const now = new Date('2026-12-07T12:00:00Z');

  it.each<[string, Partial<SinkStatusRow>, string, number | null]>([
    ['never copied', { last_copy_at: null, caught_up_at: null }, 'pending', null],
    ['holding everything projected', {}, 'caught-up', 0],
    ['behind on events', { events_projected: '5' }, 'copying', 60],
    ['failing', { last_error: 'connect ECONNREFUSED', sensor_projected: '12' }, 'retrying', 60],
  ])('%s → %s', (_, change, state, lag) => {
    const status = sinkStatus({ ...row, ...change }, now);
    expect(status.state).toBe(state);
    expect(status.lagSeconds).toBe(lag);
  });

  it('answers sequences as numbers and times as ISO text', () => {
    expect(sinkStatus(row, now)).toMatchObject({
      propId: 'p1',
      target: 'postgres://app@db/matrix',
      sensorData: { copiedThrough: 10, projectedThrough: 10 },
      events: { copiedThrough: 3, projectedThrough: 3 },
      createdAt: '2026-12-07T11:00:00.000Z',
      nextAttemptAt: null,
    });
  });
});
