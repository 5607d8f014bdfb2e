import { ConfigError, loadEnv } from './env-schema';
import { serviceConfig, serviceEnv } from './env-fragments';

const tracingOf = (env: NodeJS.ProcessEnv) =>
  serviceConfig('push-ingress', loadEnv(serviceEnv(8081), env)).tracing;

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    tracingOf(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('no ConfigError');
}

describe('tracing configuration (OTEL_* variables)', () => {
  it('is off with no exporter configured, named after the app', () => {
    expect(tracingOf({})).toEqual({
      enabled: false,
      serviceName: 'push-ingress',
      url: undefined,
      headers: {},
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      exportDelayMs: 5000,
    });
  });

  it('is on when an OTLP endpoint is set, exporting to its /v1/traces', () => {
    expect(tracingOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toMatchObject({
      enabled: true,
      url: 'http://collector:4318/v1/traces',
    });
    expect(
      tracingOf({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp',
      }),
    ).toMatchObject({ enabled: true, url: 'https://traces.example/otlp' });
  });

  it('stays off with OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true even when an endpoint is set', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    expect(tracingOf({ ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toMatchObject({
      enabled: false,
      url: undefined,
    });
    expect(tracingOf({ ...endpoint, OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toMatchObject(
      {
        enabled: false,
        url: undefined,
      },
    );
    expect(tracingOf({ ...endpoint, OTEL_SDK_DISABLED: 'false' })).toMatchObject({ enabled: true });
  });

  it('exports to the local collector for OTEL_TRACES_EXPORTER=otlp without an endpoint', () => {
    expect(tracingOf({ OTEL_TRACES_EXPORTER: 'otlp' })).toMatchObject({
      enabled: true,
      url: 'http://localhost:4318/v1/traces',
    });
  });

  it('reads the service name, headers, resource attributes, sampler and export delay', () => {
    expect(
      tracingOf({
        OTEL_TRACES_EXPORTER: 'otlp',
        OTEL_SERVICE_NAME: 'ingress-eu',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20abc, x-tenant=t1',
        OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=prod',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.05',
        OTEL_BSP_SCHEDULE_DELAY: '200',
      }),
    ).toEqual({
      enabled: true,
      serviceName: 'ingress-eu',
      url: 'http://localhost:4318/v1/traces',
      headers: { authorization: 'Bearer abc', 'x-tenant': 't1' },
      resourceAttributes: { 'deployment.environment.name': 'prod' },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.05,
      exportDelayMs: 200,
    });
  });

  it('names every invalid OTEL_* variable at once', () => {
    expect(
      problemsOf({
        OTEL_SDK_DISABLED: 'yes',
        OTEL_TRACES_EXPORTER: 'jaeger',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '2',
        OTEL_BSP_SCHEDULE_DELAY: '0',
      }),
    ).toEqual([
      'OTEL_SDK_DISABLED="yes": must be true or false',
      'OTEL_TRACES_EXPORTER="jaeger": must be otlp or none (the only exporters built in)',
      'OTEL_EXPORTER_OTLP_ENDPOINT="grpc://collector:4317": must use http:// or https://',
      'OTEL_EXPORTER_OTLP_PROTOCOL="grpc": only http/json is supported (the services ship the OTLP/HTTP JSON exporter)',
      'OTEL_EXPORTER_OTLP_HEADERS="authorization": "authorization" is not key=value',
      'OTEL_TRACES_SAMPLER="sometimes": must be one of parentbased_always_on, parentbased_always_off, parentbased_traceidratio, always_on, always_off, traceidratio',
      'OTEL_TRACES_SAMPLER_ARG="2": must be a number from 0 to 1',
      'OTEL_BSP_SCHEDULE_DELAY="0": must be a positive integer',
    ]);
  });
});
