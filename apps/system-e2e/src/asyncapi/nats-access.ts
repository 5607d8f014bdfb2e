import {
  downstreamPermissions,
  MATRIX_CLI_USER,
  MATRIX_SERVICE_ACCESS,
  Namespace,
  servicePermissions,
  type NatsPermissions,
} from '@matrix/messaging';
import { CATALOGUE, type CatalogueChannel } from './catalogue';

/*
 * Who may publish and read each subject of the catalogue, as the generated NATS permissions
 * (docs/nats-security.md) let them: computed from the permissions and each channel's address, so
 * docs/subjects.md shows what the server enforces, not what someone wrote down.
 */

const ROOT = Namespace.ROOT;
/** The downstream user template, with a durable name of its own. */
export const DOWNSTREAM_EXAMPLE = { name: 'downstream', durables: ['downstream-feed'] } as const;

interface User {
  readonly name: string;
  readonly permissions: NatsPermissions;
}

const USERS: readonly User[] = [
  ...MATRIX_SERVICE_ACCESS.map((access) => ({
    name: access.name,
    permissions: servicePermissions(access, ROOT),
  })),
  { name: 'a downstream team', permissions: downstreamPermissions(DOWNSTREAM_EXAMPLE, ROOT) },
];

/** The stream a channel's messages are kept in, on the wire (`KV_<bucket>` for a bucket). */
const streamOf = (channel: CatalogueChannel): string =>
  channel.carrier.kind === 'stream' ? channel.carrier.stream.name : `KV_${channel.carrier.bucket.name}`;

/**
 * The channel's address as a NATS pattern: each `{parameter}` one token (`*`), the last one `>` when it spans
 * several tokens (the sample is longer than the address, as `dlq.{originalSubject}`).
 */
function addressPattern(channel: CatalogueChannel): string {
  const tokens = channel.address.split('.').map((token) => (/^\{.+\}$/.test(token) ? '*' : token));
  if (channel.sample.split('.').length > tokens.length) tokens[tokens.length - 1] = '>';
  return tokens.join('.');
}

/** Whether some subject matches both NATS patterns. */
export function overlaps(a: string, b: string): boolean {
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; ; i += 1) {
    if (i >= x.length || i >= y.length) return x.length === y.length;
    if (x[i] === '>' || y[i] === '>') return true;
    if (x[i] !== '*' && y[i] !== '*' && x[i] !== y[i]) return false;
  }
}

/** Users (but matrix-cli, which may do everything) whose permissions let them publish some subject of the channel. */
export function publishersOf(channel: CatalogueChannel): string[] {
  const address = addressPattern(channel);
  return USERS.filter((user) => user.permissions.publish.some((p) => overlaps(p, address))).map(
    (user) => user.name,
  );
}

/**
 * Users that may read the channel's messages: through JetStream (pull from a durable on its stream, read a
 * message by sequence, watch a bucket) or by a core subscription on the sample subject.
 */
export function readersOf(channel: CatalogueChannel): string[] {
  const stream = streamOf(channel);
  return USERS.filter(({ permissions }) => {
    const pulls = permissions.publish.some(
      (p) => p.startsWith(`$JS.API.CONSUMER.MSG.NEXT.${stream}.`) || p === `$JS.API.STREAM.MSG.GET.${stream}`,
    );
    const subscribes = permissions.subscribe.some((p) => overlaps(p, addressPattern(channel)));
    return pulls || subscribes;
  }).map((user) => user.name);
}

/** The section of docs/subjects.md. */
export function renderNatsAccess(): string[] {
  return [
    '',
    '## Who may publish and read',
    '',
    'Where NATS runs with the generated users ([nats-security.md](nats-security.md), Kubernetes), the server lets',
    'only these users publish each subject and read its messages (computed from the permissions the server is',
    `given; \`${MATRIX_CLI_USER}\` may do everything and is left out). "Read" is pulling from a durable, reading a`,
    'message by sequence or watching a bucket, or a core subscription. Without users (`npm start`, compose)',
    'nothing is enforced.',
    '',
    '| subject | may publish | may read |',
    '| --- | --- | --- |',
    ...CATALOGUE.map(
      (channel) =>
        `| \`${channel.address}\` | ${publishersOf(channel).join(', ') || 'nats-server only'} | ${readersOf(channel).join(', ') || '—'} |`,
    ),
  ];
}
