import path from 'node:path';
import { ConfigError } from '@matrix/platform';
import { checkReadmeEnvTable } from '@matrix/testing';
import { SQL_PROJECTOR_ENV, loadConfig } from './sql-projector.config';

describe('sql-projector configuration', () => {
  it('documents every variable in the README (UPDATE_DOCS=1 rewrites the table)', () => {
    const { expected, actual } = checkReadmeEnvTable(
      path.join(__dirname, '../../README.md'),
      SQL_PROJECTOR_ENV,
    );
    expect(actual).toBe(expected);
  });

  it('boots on the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      service: 'sql-projector',
      nats: { servers: ['nats://127.0.0.1:4222'], namespace: '' },
    });
  });

  it('keeps raw points and events 400 days and the rollup forever by default, a round an hour', () => {
    expect(loadConfig({}).retention).toEqual({
      sensorDataDays: 400,
      eventsDays: 400,
      sensorData15mDays: 0,
      everyMs: 3_600_000,
    });
    expect(
      loadConfig({ SQL_RETENTION_SENSOR_DATA_DAYS: '0', SQL_RETENTION_SENSOR_DATA_15M_DAYS: '3650' })
        .retention,
    ).toMatchObject({ sensorDataDays: 0, sensorData15mDays: 3650 });
  });

  it('compacts closed partitions by default: every 10 minutes, an hour after a range ends, 4 per run', () => {
    expect(loadConfig({}).compaction).toEqual({
      enabled: true,
      everyMs: 600_000,
      graceMs: 3_600_000,
      maxPerRun: 4,
    });
    expect(
      loadConfig({
        COMPACTION_ENABLED: 'false',
        COMPACTION_INTERVAL_SECONDS: '1',
        COMPACTION_GRACE_SECONDS: '0',
      }).compaction,
    ).toEqual({ enabled: false, everyMs: 1000, graceMs: 0, maxPerRun: 4 });
    expect(() => loadConfig({ COMPACTION_ENABLED: 'yes', COMPACTION_MAX_PER_RUN: '0' })).toThrow(
      /COMPACTION_ENABLED="yes": must be one of true, false[\s\S]*COMPACTION_MAX_PER_RUN="0": must be ≥ 1/,
    );
  });

  it('refuses a negative or fractional retention and a zero period, naming each variable', () => {
    const bad = {
      SQL_RETENTION_SENSOR_DATA_DAYS: '-1',
      SQL_RETENTION_EVENTS_DAYS: '1.5',
      SQL_RETENTION_EVERY_MINUTES: '0',
    };
    expect(() => loadConfig(bad)).toThrow(ConfigError);
    expect(() => loadConfig(bad)).toThrow(
      /SQL_RETENTION_SENSOR_DATA_DAYS="-1": must be ≥ 0[\s\S]*SQL_RETENTION_EVENTS_DAYS="1.5": must be an integer[\s\S]*SQL_RETENTION_EVERY_MINUTES="0": must be ≥ 1/,
    );
  });

  it('refuses a bad port and a bad NATS URL in one error', () => {
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_PORT: '0', NATS_URL: 'http://nats' })).toThrow(/HTTP_PORT[\s\S]*NATS_URL/);
  });
});
