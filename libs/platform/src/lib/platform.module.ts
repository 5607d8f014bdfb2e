import { Global, Module, type DynamicModule, type NestModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { JsonLogger, type LogLevel } from './logging/json-logger';
import { fastifyRequestLogContext, RequestLogContextMiddleware } from './logging/request-log-context';
import { HttpMetricsInstaller } from './metrics/http-metrics';
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
export class PlatformModule implements NestModule {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: PlatformModule,
      controllers: [HealthController, MetricsController],
      providers: [
        HealthRegistry,
        HttpMetricsInstaller,
        { provide: SERVICE_NAME, useValue: options.service },
        { provide: JsonLogger, useValue: new JsonLogger(options.service, options.logLevel) },
        { provide: MetricsService, useValue: new MetricsService(options.service) },
      ],
      exports: [HealthRegistry, JsonLogger, MetricsService, SERVICE_NAME],
    };
  }

  /**
   * The request id on every log line written while handling a request. Express: middleware after the body
   * parser (Nest registered it before calling this) and before the routes; Fastify: a preHandler hook.
   */
  configure(): void {
    const adapter = this.adapterHost.httpAdapter as HttpAdapterHost['httpAdapter'] | undefined;
    if (!adapter || fastifyRequestLogContext(adapter.getInstance())) return;
    const middleware = new RequestLogContextMiddleware();
    (
      adapter.getInstance() as {
        use(fn: (req: IncomingMessage, res: ServerResponse, next: () => void) => void): void;
      }
    ).use((req, res, next) => middleware.use(req, res, next));
  }
}
