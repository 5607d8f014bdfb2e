import { Body, Controller, Module, Post, type DynamicModule, type INestApplication } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { JsonLogger, PlatformModule, requestIdFrom } from '../src';

@Controller('work')
class WorkController {
  constructor(private readonly logger: JsonLogger) {}

  // Logs after the body was read and after an await, where a context entered too early would be lost.
  @Post()
  async work(@Body() body: { n: number }): Promise<{ n: number }> {
    await new Promise((resolve) => setImmediate(resolve));
    this.logger.log(`working on ${body.n}`, 'Work');
    return { n: body.n };
  }
}

function testModule(): DynamicModule {
  @Module({})
  class TestModule {}
  return {
    module: TestModule,
    imports: [PlatformModule.forRoot({ service: 'log-context-test', logLevel: 'info' })],
    controllers: [WorkController],
  };
}

/** The `Work` log lines of three requests (two with an id, one without), sent side by side. */
async function workLines(app: INestApplication): Promise<Record<string, unknown>[]> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const post = (n: number, id?: string) =>
      fetch(`${url}/work`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(id ? { 'x-request-id': id } : {}) },
        body: JSON.stringify({ n }),
      });
    const answers = await Promise.all([post(1, 'req-one'), post(2, 'req-two'), post(3)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    await app.close();
  } finally {
    write.mockRestore();
  }
  return lines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry['context'] === 'Work')
    .sort((a, b) => String(a['msg']).localeCompare(String(b['msg'])));
}

function expectRequestIds(lines: Record<string, unknown>[]): void {
  expect(lines.map((l) => [l['msg'], l['requestId']])).toEqual([
    ['working on 1', 'req-one'],
    ['working on 2', 'req-two'],
    ['working on 3', expect.stringMatching(/^[0-9a-f-]{36}$/)],
  ]);
}

describe('request ids in logs', () => {
  it('puts the request id on the lines a request writes, on Express', async () => {
    expectRequestIds(await workLines(await NestFactory.create(testModule(), { logger: false })));
  });

  it('puts the request id on the lines a request writes, on Fastify (its request.id)', async () => {
    const adapter = new FastifyAdapter({
      genReqId: (req: IncomingMessage) => requestIdFrom(req.headers['x-request-id']),
    });
    expectRequestIds(await workLines(await NestFactory.create(testModule(), adapter, { logger: false })));
  });
});
