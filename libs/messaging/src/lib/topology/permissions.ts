import { deadLetterSubject } from '@matrix/contracts';
import { DEAD_LETTERED_STREAMS, DEAD_LETTER_RELAY, MATRIX_TOPOLOGY } from './matrix-topology';
import type { KvBucketSpec } from './kv-buckets';
import { PUBLIC_STREAMS, type ServiceAccess } from './service-access';
import type { Namespace, StreamSpec } from './topology.types';

/** A NATS user's permissions, as nats-server's `permissions` block has them. */
export interface NatsPermissions {
  readonly publish: readonly string[];
  readonly subscribe: readonly string[];
  /** May answer requests it received (`allow_responses`: one reply per request, to its reply subject). */
  readonly allowResponses: boolean;
}

/** A downstream team: read-only on the public streams through durables of its own, named up front. */
export interface DownstreamUser {
  /** The team's NATS user name, e.g. `cleaning-team` (its durables start with `<name>-`). */
  readonly name: string;
  /** Its durable consumer names (each may exist on SENSOR_DATA and MATRIX_EVENTS), e.g. `cleaning-team-board`. */
  readonly durables: readonly string[];
}

const API = '$JS.API';
const TOKEN = /^[A-Za-z0-9_-]+$/;

/**
 * The inbox prefix of a user with permissions: replies (requests, JetStream acks and pulls, KV watches)
 * come to `_INBOX_<user>.…`, which only that user may subscribe to, so no other user reads them.
 */
export function natsInboxPrefix(user: string, ns: Namespace): string {
  if (!TOKEN.test(user)) throw new Error(`NATS user "${user}" must match ${TOKEN}`);
  return `_INBOX_${ns.durable(user)}`;
}

/** The stream of a KV bucket on the wire. */
const kvStream = (bucket: KvBucketSpec, ns: Namespace): string => `KV_${ns.stream(bucket.name)}`;

/** What reading a bucket takes: its status, a get from the leader, and a watch (an ordered push consumer). */
function kvRead(bucket: KvBucketSpec, ns: Namespace): string[] {
  const stream = kvStream(bucket, ns);
  return [
    `${API}.STREAM.INFO.${stream}`,
    `${API}.STREAM.MSG.GET.${stream}`,
    `${API}.CONSUMER.CREATE.${stream}.>`,
    `${API}.CONSUMER.INFO.${stream}.*`,
    `${API}.CONSUMER.DELETE.${stream}.*`,
    `$JS.FC.${stream}.>`,
  ];
}

/** What writing a bucket takes: opening it (its status) and publishing puts and deletes. */
function kvWrite(bucket: KvBucketSpec, ns: Namespace): string[] {
  return [`${API}.STREAM.INFO.${kvStream(bucket, ns)}`, `$KV.${ns.stream(bucket.name)}.>`];
}

/** Pulling from one durable: its info, the pull requests, and acks (ack, nak, working, term). */
function pull(stream: string, durable: string): string[] {
  return [
    `${API}.CONSUMER.INFO.${stream}.${durable}`,
    `${API}.CONSUMER.MSG.NEXT.${stream}.${durable}`,
    `$JS.ACK.${stream}.${durable}.>`,
  ];
}

const streamOf = (name: string): StreamSpec => {
  const stream = MATRIX_TOPOLOGY.streams.find((candidate) => candidate.name === name);
  if (!stream) throw new Error(`stream ${name} is not in the topology`);
  return stream;
};

/** Dead letters of a stream's messages: `dlq.<original subject>`. */
const deadLettersOf = (stream: StreamSpec, ns: Namespace): string[] =>
  stream.subjects.map((subject) => ns.subject(deadLetterSubject(subject)));

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * A service's permissions, derived from what it declares (`ServiceAccess`) and the topology: publish on its
 * own subjects only, pull from its own durables only, read and write the KV buckets it declares, call and
 * answer the commands it declares; everything else is refused by the server.
 */
export function servicePermissions(access: ServiceAccess, ns: Namespace): NatsPermissions {
  const publish: string[] = [`${API}.INFO`];
  const subscribe: string[] = [`${natsInboxPrefix(access.name, ns)}.>`];

  publish.push(...access.publishes.map((subject) => ns.subject(subject)));
  const consumers = [...access.consumes, ...(access.deadLetterRelay ? [DEAD_LETTER_RELAY] : [])];
  for (const consumer of consumers) {
    publish.push(...pull(ns.stream(consumer.stream), ns.durable(consumer.durable)));
    // A message the handler rejects (or gives up on) is stored under dlq.<its subject>.
    publish.push(...deadLettersOf(streamOf(consumer.stream), ns));
  }
  if (access.deadLetterRelay) {
    // The relay copies the message an advisory names, from any consumed stream, into the DLQ.
    for (const stream of DEAD_LETTERED_STREAMS) {
      publish.push(`${API}.STREAM.MSG.GET.${ns.stream(stream.name)}`, ...deadLettersOf(stream, ns));
    }
  }
  for (const stream of access.readsStreams ?? []) {
    publish.push(`${API}.STREAM.INFO.${ns.stream(stream.name)}`);
  }
  for (const bucket of access.readsKvState ?? []) publish.push(`${API}.STREAM.INFO.${kvStream(bucket, ns)}`);
  for (const consumer of access.readsConsumers ?? []) {
    publish.push(`${API}.CONSUMER.INFO.${ns.stream(consumer.stream)}.${ns.durable(consumer.durable)}`);
  }
  for (const replayed of access.replays ?? []) {
    const stream = ns.stream(replayed.name);
    publish.push(
      `${API}.STREAM.INFO.${stream}`,
      `${API}.CONSUMER.CREATE.${stream}.>`,
      `${API}.CONSUMER.INFO.${stream}.*`,
      `${API}.CONSUMER.DELETE.${stream}.*`,
      `${API}.CONSUMER.MSG.NEXT.${stream}.*`,
    );
  }
  for (const bucket of access.readsKv) publish.push(...kvRead(bucket, ns));
  for (const bucket of access.writesKv) publish.push(...kvWrite(bucket, ns));
  publish.push(...access.requests.map((subject) => ns.subject(subject)));
  subscribe.push(...access.serves.map((subject) => ns.subject(subject)));
  return { publish: sorted(publish), subscribe: sorted(subscribe), allowResponses: access.serves.length > 0 };
}

/**
 * matrix-cli (provisioning, redrive, SQL roles and sinks, operators' tooling): everything. Its key belongs
 * to the operators and to the provisioning Job, never to a long-running service.
 */
export function adminPermissions(): NatsPermissions {
  return { publish: ['>'], subscribe: ['>'], allowResponses: true };
}

/** Problems with a downstream user's declaration (empty when it is fine). */
export function downstreamProblems(user: DownstreamUser, reserved: readonly string[]): string[] {
  const problems: string[] = [];
  if (!TOKEN.test(user.name)) problems.push(`downstream user "${user.name}" must match ${TOKEN}`);
  if (reserved.includes(user.name)) {
    problems.push(`downstream user "${user.name}" is the name of a Matrix user`);
  }
  if (user.durables.length === 0) {
    problems.push(`downstream user "${user.name}" needs at least one durable name`);
  }
  const ours = new Set(MATRIX_TOPOLOGY.consumers.map((consumer) => consumer.durable));
  for (const durable of user.durables) {
    if (!TOKEN.test(durable)) problems.push(`durable "${durable}" must match ${TOKEN}`);
    else if (!durable.startsWith(`${user.name}-`)) {
      problems.push(`durable "${durable}" of ${user.name} must start with "${user.name}-"`);
    } else if (ours.has(durable)) problems.push(`durable "${durable}" is one of the platform's`);
  }
  return problems;
}

/**
 * A downstream team's permissions: subscribe to the public subjects (core NATS), and read them through
 * JetStream with its own named durables only: create, look up, pull, ack and delete those; no publish on
 * any stream subject or KV bucket, no access to the platform's durables. Durables are named up front because
 * NATS permissions match whole subject tokens: a name prefix cannot be expressed as a wildcard.
 */
export function downstreamPermissions(user: DownstreamUser, ns: Namespace): NatsPermissions {
  const publish: string[] = [`${API}.INFO`];
  const subscribe: string[] = [
    `${natsInboxPrefix(user.name, ns)}.>`,
    ...PUBLIC_STREAMS.flatMap((stream) => stream.subjects.map((subject) => ns.subject(subject))),
  ];
  for (const spec of PUBLIC_STREAMS) {
    const stream = ns.stream(spec.name);
    publish.push(`${API}.STREAM.INFO.${stream}`);
    for (const name of user.durables) {
      const durable = ns.durable(name);
      publish.push(
        `${API}.CONSUMER.CREATE.${stream}.${durable}`,
        `${API}.CONSUMER.CREATE.${stream}.${durable}.>`,
        `${API}.CONSUMER.DURABLE.CREATE.${stream}.${durable}`,
        `${API}.CONSUMER.DELETE.${stream}.${durable}`,
        ...pull(stream, durable),
      );
    }
  }
  return { publish: sorted(publish), subscribe: sorted(subscribe), allowResponses: false };
}

/**
 * Whether a concrete subject is matched by a NATS subject pattern (`*` one token, `>` one or more at the
 * end), as the server matches permissions.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  const want = pattern.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i += 1) {
    const token = want[i];
    if (token === '>') return have.length > i;
    if (i >= have.length) return false;
    if (token !== '*' && token !== have[i]) return false;
  }
  return want.length === have.length;
}

/** Whether `permissions` let their user publish on `subject`. */
export function mayPublish(permissions: NatsPermissions, subject: string): boolean {
  return permissions.publish.some((pattern) => subjectMatches(pattern, subject));
}
