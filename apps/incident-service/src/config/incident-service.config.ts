import {
  databaseConfig,
  databaseEnv,
  env,
  loadEnv,
  natsConfig,
  natsEnv,
  serviceConfig,
  serviceEnv,
  type DatabaseConfig,
  type NatsConfig,
  type ServiceConfig,
} from '@matrix/platform';

export const INCIDENT_SERVICE_ENV = {
  ...serviceEnv(8083),
  ...natsEnv,
  ...databaseEnv,
  ESCALATION_SWEEP_MS: env.int(
    'How often the workforce timers (each on its leader replica) look for passed deadlines: incident escalation and work window, shift delay, absence and auto clock-out, task incompleteness',
    { default: 1000, min: 10, max: 60_000 },
  ),
  CLOCK_CONTROL: env.oneOf(
    'For tests and demos only: `on` serves the command `workforce.clock.advance.v1`, which moves the service’s clock forward (a test clock, held by the process that answers: one replica only); `off` does not subscribe it',
    ['off', 'on'] as const,
    { default: 'off' },
  ),
};

export interface IncidentServiceConfig extends ServiceConfig {
  readonly nats: NatsConfig;
  readonly db: DatabaseConfig;
  readonly escalation: { readonly sweepMs: number };
  readonly clock: { readonly control: boolean };
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): IncidentServiceConfig {
  const e = loadEnv(INCIDENT_SERVICE_ENV, source);
  return {
    ...serviceConfig('incident-service', e),
    nats: natsConfig(e),
    db: databaseConfig(e),
    escalation: { sweepMs: e.ESCALATION_SWEEP_MS },
    clock: { control: e.CLOCK_CONTROL === 'on' },
  };
}
