import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { HealthRegistry } from './health-registry';
import { PlatformModule } from '../platform.module';

/*
 * Health and metrics answer alike on Express (most services) and Fastify (matrix-api-gateway): the
 * controllers reply through the app's HTTP adapter, not a framework's response object.
 */

interface Answer {
  status: number;
  contentType: string | null;
  body: string;
}

async function answers(app: INestApplication): Promise<Record<string, Answer>> {
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const health = app.get(HealthRegistry);
  const get = async (path: string): Promise<Answer> => {
    const response = await fetch(`${url}${path}`);
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      body: await response.text(),
    };
  };
  try {
    const live = await get('/health/live');
    const ready = await get('/health/ready');
    health.register('probe', () => Promise.reject(new Error('probe down')));
    const unready = await get('/health/ready');
    const metrics = await get('/metrics');
    return { live, ready, unready, metrics: { ...metrics, body: metrics.body.slice(0, 40) } };
  } finally {
    await app.close();
  }
}

const platform = () => PlatformModule.forRoot({ service: 'adapters-test', logLevel: 'error' });

describe('health and metrics controllers', () => {
  it('answer the same on Express and on Fastify', async () => {
    const express = await answers(await NestFactory.create(platform(), { logger: false }));
    const fastify = await answers(
      await NestFactory.create(platform(), new FastifyAdapter(), { logger: false }),
    );
    expect(express.live).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: '{"status":"ok"}',
    });
    expect(express.ready).toMatchObject({ status: 200, body: expect.stringContaining('"ready":true') });
    expect(express.unready).toMatchObject({
      status: 503,
      body: expect.stringContaining('"status":"unavailable"'),
    });
    expect(express.metrics).toMatchObject({
      status: 200,
      contentType: expect.stringMatching(/^text\/plain; version=0\.0\.4/),
    });
    expect(fastify).toEqual(express);
  });
});
