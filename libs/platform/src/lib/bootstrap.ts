import 'reflect-metadata';
import type { DynamicModule, INestApplication, NestApplicationOptions, Type } from '@nestjs/common';
import { NestFactory, type AbstractHttpAdapter } from '@nestjs/core';
import { ConfigError } from './config/env-schema';
import { HealthRegistry } from './health/health-registry';
import { JsonLogger } from './logging/json-logger';
import { listenOnOpsPort, type OpsPort } from './ops-port';
import { traceFastifyRoutes, traceHttpServer } from './tracing/http-server-tracing';
import { startTracing } from './tracing/start-tracing';
import type { TracingConfig } from './config/tracing-env';

export interface ServiceBootstrapOptions {
  service: string;
  http: { host: string; port: number };
  /** `/metrics` and `/health/*` on a listener of their own (METRICS_PORT), `/metrics` off `http.port`. */
  metricsPort?: number;
  shutdownTimeoutMs: number;
  /** Nest's JSON body parser; a service that parses bodies itself (for precise errors) turns it off. */
  bodyParser?: boolean;
  /**
   * Called with the app before it listens, e.g. to install the service's own JSON body parser (one
   * registered here replaces Nest's default, whose limit is 100 kB).
   */
  configure?: (app: INestApplication) => void;
  /**
   * The HTTP server: Nest's Express adapter when absent. A service on another one (the gateway runs on
   * Fastify) passes its adapter, configured; everything here is adapter-neutral.
   */
  httpAdapter?: AbstractHttpAdapter;
  /** OpenTelemetry tracing (`serviceConfig` reads it from the OTEL_* variables); off when absent. */
  tracing?: TracingConfig;
}

/**
 * Starts a service: JSON logs, tracing when an exporter is configured (a SERVER span per HTTP request),
 * HTTP listen, signal handling. On SIGTERM/SIGINT it reports not-ready, closes the app (the modules' hooks
 * stop consuming, finish in-flight work, close HTTP and drain NATS), exports the last spans and exits 0;
 * it exits 1 if that fails or takes longer than `shutdownTimeoutMs`.
 */
export async function runService(
  module: Type<unknown> | DynamicModule,
  options: ServiceBootstrapOptions,
): Promise<INestApplication> {
  const appOptions: NestApplicationOptions = {
    bufferLogs: true,
    forceCloseConnections: true,
    bodyParser: options.bodyParser ?? true,
  };
  const app = options.httpAdapter
    ? await NestFactory.create(module, options.httpAdapter, appOptions)
    : await NestFactory.create(module, appOptions);
  const logger = app.get(JsonLogger);
  app.useLogger(logger);
  options.configure?.(app);
  const tracing = options.tracing?.enabled
    ? startTracing(options.tracing, logger)
    : { shutdown: () => Promise.resolve() };
  traceHttpServer(app.getHttpServer());
  traceFastifyRoutes(app.getHttpAdapter().getInstance());
  const health = app.get(HealthRegistry);
  let ops: OpsPort | undefined;
  let closing: Promise<void> | undefined;
  const shutdown = (signal: NodeJS.Signals) => {
    if (closing) return;
    health.markShuttingDown();
    logger.log(`${signal} received: shutting down gracefully`, 'Bootstrap');
    setTimeout(() => {
      logger.error(`shutdown took longer than ${options.shutdownTimeoutMs} ms: exiting`, 'Bootstrap');
      process.exit(1);
    }, options.shutdownTimeoutMs).unref();
    closing = app.close().then(
      async () => {
        await ops?.close();
        await tracing.shutdown();
        logger.log('shut down cleanly', 'Bootstrap');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error(`shutdown failed: ${(error as Error).stack}`, 'Bootstrap');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  await app.listen(options.http.port, options.http.host);
  if (options.metricsPort !== undefined && options.metricsPort !== options.http.port) {
    ops = await listenOnOpsPort(app, { host: options.http.host, port: options.metricsPort });
  }
  logger.log(
    `${options.service} listening on http://${options.http.host}:${options.http.port}${ops ? ` (/metrics and /health/* on port ${ops.port})` : ''}${options.tracing?.url ? `; spans to ${spanTarget(options.tracing.url)}` : ''}`,
    'Bootstrap',
  );
  return app;
}

/** The exporter's URL without credentials or query, for the log. */
function spanTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** Prints a configuration error as one readable block and exits 78 (EX_CONFIG). */
export function exitOnConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
}

/**
 * Dispatches `main.cjs [command]`: no argument serves; other commands (e.g. `migrate`) run once and exit.
 * Configuration errors print one block listing every bad variable and exit 78.
 */
export async function runCommand(
  argv: readonly string[],
  commands: Record<string, () => Promise<unknown>>,
): Promise<void> {
  const name = argv[2] ?? 'serve';
  const command = commands[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"; one of: ${Object.keys(commands).join(', ')}\n`);
    process.exit(64);
  }
  try {
    await command();
  } catch (error) {
    exitOnConfigError(error);
  }
}
