import { describeSummary, parseRedriveArgs, UsageError } from './redrive.command';

describe('matrix-cli redrive arguments', () => {
  it('reads reason, since, limit and dry run', () => {
    expect(
      parseRedriveArgs([
        '--reason',
        'unknown_device',
        '--since',
        '2026-11-26T00:00:00Z',
        '--limit',
        '500',
        '--dry-run',
      ]),
    ).toEqual({
      reason: 'unknown_device',
      since: new Date('2026-11-26T00:00:00.000Z'),
      limit: 500,
      dryRun: true,
    });
    expect(parseRedriveArgs(['--reason=invalid_value'])).toEqual({ reason: 'invalid_value', dryRun: false });
  });

  it('takes a date as midnight UTC and an instant with its offset', () => {
    expect(parseRedriveArgs(['--reason', 'unknown_device', '--since', '2026-11-26']).since).toEqual(
      new Date('2026-11-26T00:00:00Z'),
    );
    expect(
      parseRedriveArgs(['--reason', 'unknown_device', '--since', '2026-11-26T08:30:00+01:00']).since,
    ).toEqual(new Date('2026-11-26T07:30:00Z'));
  });

  it('names every problem of a wrong command line', () => {
    expect(() => parseRedriveArgs(['--since', '26.11.2026', '--limit', '0'])).toThrow(
      new UsageError(
        '--reason is required; ' +
          '--since must be an ISO 8601 date or an instant with its offset, e.g. 2026-11-26T00:00:00Z (got "26.11.2026"); ' +
          '--limit must be a whole number of at least 1 (got "0")',
      ),
    );
    expect(() => parseRedriveArgs(['--reason', 'bogus'])).toThrow(
      /--reason must be one of invalid_point, invalid_value, unknown_device, invalid_time_zone/,
    );
    // A local time without offset is ambiguous.
    expect(() => parseRedriveArgs(['--reason', 'unknown_device', '--since', '2026-11-26T08:00:00'])).toThrow(
      UsageError,
    );
    expect(() => parseRedriveArgs(['--reason', 'unknown_device', '--force'])).toThrow(UsageError);
  });

  it('summarises a run, saying when the limit left rejections behind', () => {
    expect(
      describeSummary({
        run: 'mf3k2x1a2b3c4d',
        reason: 'unknown_device',
        since: '2026-11-26T00:00:00.000Z',
        dryRun: false,
        examined: 5,
        redriven: 4,
        skipped: 1,
        limitReached: true,
      }),
    ).toEqual([
      're-driven: 4',
      'skipped: 1',
      'examined: 5 rejections on sensor.rejected.unknown_device since 2026-11-26T00:00:00.000Z (run mf3k2x1a2b3c4d)',
      'stopped at --limit: more rejections remain; run again to continue',
    ]);
  });
});
