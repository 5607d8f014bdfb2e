import { hostname } from 'node:os';
import { context, diag, DiagLogLevel, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ATTR_SERVICE_INSTANCE_ID, ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { TracingConfig } from '../config/tracing-env';
import { setTracingEnabled } from './tracing';

/** Stops tracing: exports the spans still queued, within the time given. */
export interface TracingHandle {
  shutdown(timeoutMs?: number): Promise<void>;
}

export interface TracingLogger {
  warn(message: string, context?: string): void;
  error(message: string, context?: string): void;
}

const OFF: TracingHandle = { shutdown: () => Promise.resolve() };

/**
 * Starts the OpenTelemetry trace SDK when `config.enabled` (an OTLP exporter configured): spans are batched
 * and POSTed as OTLP/HTTP JSON to `config.url`; context follows async calls through AsyncLocalStorage.
 * When tracing is off nothing is loaded and the handle does nothing.
 */
export function startTracing(config: TracingConfig, logger: TracingLogger): TracingHandle {
  if (!config.enabled) return OFF;
  // Loaded only when tracing is on, so a service without an exporter never loads the SDK; with `require`,
  // as the services are CommonJS bundles (an `import()` would load the packages' ESM builds beside the
  // CommonJS ones the rest of the code uses).
  /* eslint-disable @typescript-eslint/no-require-imports */
  const sdk = require('@opentelemetry/sdk-trace') as typeof import('@opentelemetry/sdk-trace');
  const hooks =
    require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const resources = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const otlp =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  /* eslint-enable @typescript-eslint/no-require-imports */
  diag.setLogger(
    {
      error: (message) => logger.error(`OpenTelemetry: ${message}`, 'Tracing'),
      warn: (message) => logger.warn(`OpenTelemetry: ${message}`, 'Tracing'),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
  const ratio = new sdk.TraceIdRatioBasedSampler(config.samplerRatio);
  const root = {
    parentbased_always_on: new sdk.AlwaysOnSampler(),
    parentbased_always_off: new sdk.AlwaysOffSampler(),
    parentbased_traceidratio: ratio,
    always_on: new sdk.AlwaysOnSampler(),
    always_off: new sdk.AlwaysOffSampler(),
    traceidratio: ratio,
  }[config.sampler];
  const sampler = config.sampler.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
  const resource = resources.defaultResource().merge(
    resources.resourceFromAttributes({
      ...config.resourceAttributes,
      [ATTR_SERVICE_NAME]: config.serviceName,
      [ATTR_SERVICE_INSTANCE_ID]: `${hostname()}/${process.pid}`,
    }),
  );
  const exporter = new otlp.OTLPTraceExporter({ url: config.url, headers: { ...config.headers } });
  const provider = new sdk.TracerProvider({
    resource,
    sampler,
    spanProcessors: [new sdk.BatchSpanProcessor({ exporter, scheduledDelayMillis: config.exportDelayMs })],
  });
  context.setGlobalContextManager(new hooks.AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingEnabled(true);
  return {
    async shutdown(timeoutMs = 5000) {
      setTracingEnabled(false);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          logger.warn(`spans not exported within ${timeoutMs} ms of shutdown were dropped`, 'Tracing');
          resolve();
        }, timeoutMs);
        timer.unref();
      });
      await Promise.race([
        provider.shutdown().catch((error: unknown) => {
          logger.warn(`exporting the last spans failed: ${(error as Error).message}`, 'Tracing');
        }),
        timeout,
      ]);
      clearTimeout(timer);
    },
  };
}
