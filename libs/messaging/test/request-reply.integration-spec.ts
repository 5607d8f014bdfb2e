import { testNatsUrl, uniqueNamespace } from '@matrix/testing';
import { NatsClient } from '../src/lib/connection/nats-client';
import { CommandBus } from '../src/lib/request-reply/command-bus';
import {
  CommandError,
  CommandFailedError,
  CommandUnavailableError,
  type CommandSpec,
} from '../src/lib/request-reply/command';
import { silentLogger } from './messaging-harness';

interface Add {
  a: number;
  b: number;
}

const isAdd = (json: unknown) => {
  const v = json as Partial<Add>;
  return typeof v?.a === 'number' && typeof v?.b === 'number'
    ? { ok: true as const, value: v as Add }
    : { ok: false as const, errors: ['a and b must be numbers'] };
};
const isSum = (json: unknown) =>
  typeof (json as { sum?: unknown })?.sum === 'number'
    ? { ok: true as const, value: json as { sum: number } }
    : { ok: false as const, errors: ['sum must be a number'] };

const ADD: CommandSpec<Add, { sum: number }> = {
  subject: 'math.sum.add.v1',
  decodeRequest: isAdd,
  decodeReply: isSum,
  timeoutMs: 2000,
};
const NOBODY: CommandSpec<Add, { sum: number }> = { ...ADD, subject: 'math.sum.nobody.v1', timeoutMs: 500 };

let client: NatsClient;
let bus: CommandBus;

beforeAll(async () => {
  client = await new NatsClient({
    servers: [testNatsUrl()],
    name: 'test-rr',
    namespace: uniqueNamespace('rr'),
  }).connect();
  bus = new CommandBus(client, silentLogger);
  bus.serve(ADD, async ({ a, b }) => {
    if (a < 0) throw new CommandError('NEGATIVE', 'a must not be negative');
    if (a === 13) throw new Error('unlucky');
    return { sum: a + b };
  });
});
afterAll(async () => {
  await bus.stop();
  await client.drain();
});

describe('typed request/reply on a real server', () => {
  it('answers a valid command', async () => {
    await expect(bus.request(ADD, { a: 2, b: 3 })).resolves.toEqual({ sum: 5 });
  });

  it('turns a domain error into a CommandFailedError with its code', async () => {
    await expect(bus.request(ADD, { a: -1, b: 3 })).rejects.toMatchObject({
      name: 'CommandFailedError',
      code: 'NEGATIVE',
    });
  });

  it('refuses an invalid request with INVALID_REQUEST', async () => {
    await expect(bus.request(ADD, { a: 'x' } as unknown as Add)).rejects.toMatchObject({
      code: 'INVALID_REQUEST',
      message: 'a and b must be numbers',
    });
  });

  it('hides an unexpected error behind INTERNAL', async () => {
    const error = await bus.request(ADD, { a: 13, b: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandFailedError);
    expect(error).toMatchObject({ code: 'INTERNAL', message: 'internal error' });
  });

  it('reports a command nobody serves as unavailable', async () => {
    await expect(bus.request(NOBODY, { a: 1, b: 1 })).rejects.toBeInstanceOf(CommandUnavailableError);
  });
});
