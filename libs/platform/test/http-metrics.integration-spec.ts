import {
  Controller,
  Get,
  HttpException,
  Module,
  Param,
  Post,
  type DynamicModule,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PlatformModule } from '../src';

@Controller('things')
class ThingsController {
  @Get(':id')
  one(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Post()
  create(): never {
    throw new HttpException('refused', 503);
  }
}

/** A fresh module (and so a fresh registry) per app. */
function testModule(): DynamicModule {
  @Module({})
  class TestModule {}
  return {
    module: TestModule,
    imports: [PlatformModule.forRoot({ service: 'http-metrics-test', logLevel: 'error' })],
    controllers: [ThingsController],
  };
}

/** The `matrix_http_*` sample lines of one scrape, without the service label, sorted. */
async function httpSamples(app: INestApplication): Promise<string[]> {
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  try {
    await fetch(`${url}/things/1`);
    await fetch(`${url}/things/2`);
    await fetch(`${url}/things`, { method: 'POST' });
    await fetch(`${url}/no/such/path/42`);
    await fetch(`${url}/health/live`);
    await fetch(`${url}/metrics`);
    const text = await (await fetch(`${url}/metrics`)).text();
    return text
      .split('\n')
      .filter((line) => /^matrix_http_(requests_total|request_duration_seconds_count)\{/.test(line))
      .map((line) => line.replace(/,?service="http-metrics-test"/, '').replace('{,', '{'))
      .sort();
  } finally {
    await app.close();
  }
}

describe('HTTP metrics', () => {
  const expected = [
    'matrix_http_request_duration_seconds_count{method="GET",route="/things/:id"} 2',
    'matrix_http_request_duration_seconds_count{method="GET",route="unmatched"} 1',
    'matrix_http_request_duration_seconds_count{method="POST",route="/things"} 1',
    'matrix_http_requests_total{method="GET",route="/things/:id",status="200"} 2',
    'matrix_http_requests_total{method="GET",route="unmatched",status="404"} 1',
    'matrix_http_requests_total{method="POST",route="/things",status="503"} 1',
  ];

  it('counts answers by method, route template and status on Express, without probes and scrapes', async () => {
    expect(await httpSamples(await NestFactory.create(testModule(), { logger: false }))).toEqual(expected);
  });

  it('counts answers by method, route template and status on Fastify, without probes and scrapes', async () => {
    expect(
      await httpSamples(await NestFactory.create(testModule(), new FastifyAdapter(), { logger: false })),
    ).toEqual(expected);
  });
});
