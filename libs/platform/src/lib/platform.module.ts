import { Global, Module, type DynamicModule } from '@nestjs/common';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { JsonLogger, type LogLevel } from './logging/json-logger';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';

export interface PlatformOptions {
  service: string;
  logLevel: LogLevel;
}

export const SERVICE_NAME = Symbol('SERVICE_NAME');

/** Logging, health and metrics for every service; global so feature modules can register checks. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers: [
        HealthRegistry,
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: JsonLogger, useValue: new JsonLogger(options.service, options.logLevel) },
        { provide: MetricsService, useValue: new MetricsService(options.service) },
      ],
      exports: [HealthRegistry, JsonLogger, MetricsService, SERVICE_NAME],
    };
  }
}
