// The raw baseline of the workforce benchmark: a trivial NATS responder that answers every request on
// `subject` with the bytes of `replyFile` (a real create answer), nothing else.
//
//   node bench/workforce/nats-responder.mjs '{"natsUrl":"nats://127.0.0.1:4222","subject":"…","replyFile":"…"}'
//
// Prints `ready` on stdout once subscribed; stops on SIGTERM/SIGINT, or by itself after `maxLifetimeMs`.
import fs from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { readSpec } from '../lib/child.mjs';

const spec = readSpec('nats-responder.mjs', ['natsUrl', 'subject', 'replyFile']);
const reply = fs.readFileSync(spec.replyFile);
const nc = await connect({ servers: spec.natsUrl.split(','), name: 'bench-workforce-responder' });
nc.subscribe(spec.subject, { callback: (error, message) => error || message.respond(reply) });
await nc.flush();

const stop = () => void nc.close().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
setTimeout(stop, spec.maxLifetimeMs ?? 10 * 60_000).unref();
process.stdout.write('ready\n');
