import { Controller, Get, Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { listenOnOpsPort, loadEnv, PlatformModule, serviceConfig, serviceEnv } from '../src';

@Controller('api')
class ApiController {
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

function testModule(): DynamicModule {
  @Module({})
  class TestModule {}
  return {
    module: TestModule,
    imports: [PlatformModule.forRoot({ service: 'ops-port-test', logLevel: 'error' })],
    controllers: [ApiController],
  };
}

/** Status of each path on the public port and on the operations port. */
async function statuses(app: INestApplication): Promise<Record<string, [number, number]>> {
  await app.listen(0, '127.0.0.1');
  const ops = await listenOnOpsPort(app, { host: '127.0.0.1', port: 0 });
  const publicUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const opsUrl = `http://127.0.0.1:${ops.port}`;
  try {
    const result: Record<string, [number, number]> = {};
    for (const path of ['/api/hello', '/metrics', '/health/live', '/health/ready', '/nowhere']) {
      const [onPublic, onOps] = await Promise.all([fetch(publicUrl + path), fetch(opsUrl + path)]);
      result[path] = [onPublic.status, onOps.status];
      if (path === '/metrics' && onOps.status === 200) {
        expect(await onOps.text()).toContain('process_cpu_user_seconds_total');
      }
    }
    return result;
  } finally {
    await ops.close();
    await app.close();
  }
}

const expected = {
  '/api/hello': [200, 404],
  '/metrics': [404, 200],
  '/health/live': [200, 200],
  '/health/ready': [200, 200],
  '/nowhere': [404, 404],
};

describe('METRICS_PORT', () => {
  it('serves /metrics and /health/* on its own port and /metrics no more on the public one (Express)', async () => {
    expect(await statuses(await NestFactory.create(testModule(), { logger: false }))).toEqual(expected);
  });

  it('serves /metrics and /health/* on its own port and /metrics no more on the public one (Fastify)', async () => {
    expect(
      await statuses(await NestFactory.create(testModule(), new FastifyAdapter(), { logger: false })),
    ).toEqual(expected);
  });

  it('is off unless set to a port other than HTTP_PORT', () => {
    const config = (env: Record<string, string>) => serviceConfig('x', loadEnv(serviceEnv(3000), env));
    expect(config({}).metricsPort).toBeUndefined();
    expect(config({ METRICS_PORT: '0' }).metricsPort).toBeUndefined();
    expect(config({ METRICS_PORT: '3000' }).metricsPort).toBeUndefined();
    expect(config({ METRICS_PORT: '9464' }).metricsPort).toBe(9464);
    expect(() => config({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT="nine": must be an integer/);
  });
});
