import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { ConfigError } from './config/env-schema';
import { HealthRegistry } from './health/health-registry';
import { JsonLogger } from './logging/json-logger';

export interface ServiceBootstrapOptions {
  service: string;
  http: { host: string; port: number };
  shutdownTimeoutMs: number;
  /** Nest's JSON body parser; a service that parses bodies itself (for precise errors) turns it off. */
  bodyParser?: boolean;
}

/**
 * Starts a service: JSON logs, shutdown hooks, HTTP listen. On SIGTERM/SIGINT it reports not-ready,
 * stops consuming, finishes in-flight work and drains NATS (through the modules' shutdown hooks), and
 * exits 1 if that takes longer than `shutdownTimeoutMs`.
 */
export async function runService(
  module: Type<unknown> | DynamicModule,
  options: ServiceBootstrapOptions,
): Promise<INestApplication> {
  const app = await NestFactory.create(module, {
    bufferLogs: true,
    forceCloseConnections: true,
    bodyParser: options.bodyParser ?? true,
  });
  const logger = app.get(JsonLogger);
  app.useLogger(logger);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  const health = app.get(HealthRegistry);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      health.markShuttingDown();
      logger.log(`${signal} received: shutting down gracefully`, 'Bootstrap');
      setTimeout(() => {
        logger.error(`shutdown took longer than ${options.shutdownTimeoutMs} ms: exiting`, 'Bootstrap');
        process.exit(1);
      }, options.shutdownTimeoutMs).unref();
    });
  }
  await app.listen(options.http.port, options.http.host);
  logger.log(`${options.service} listening on http://${options.http.host}:${options.http.port}`, 'Bootstrap');
  return app;
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
