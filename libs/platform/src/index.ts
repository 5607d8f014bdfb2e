export * from './lib/config/env-schema';
export * from './lib/config/env-fragments';
export * from './lib/logging/json-logger';
export * from './lib/health/health-registry';
export * from './lib/health/health.controller';
export * from './lib/metrics/metrics.service';
export * from './lib/platform.module';
export * from './lib/bootstrap';
