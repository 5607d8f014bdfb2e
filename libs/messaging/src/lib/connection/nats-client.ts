import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { readFileSync } from 'node:fs';
import {
  connect,
  credsAuthenticator,
  nkeyAuthenticator,
  type Authenticator,
  type NatsConnection,
  type NodeConnectionOptions,
} from '@nats-io/transport-node';
import { natsInboxPrefix } from '../topology/permissions';
import { Namespace } from '../topology/topology.types';
import type { MessagingOptions, NatsCredentials } from './messaging-options';

/** Reads a credentials file each time the client authenticates, so a rotated Secret is used on reconnect. */
function readCredential(file: string, what: string): Uint8Array {
  try {
    return new TextEncoder().encode(readFileSync(file, 'utf8').trim());
  } catch (error) {
    throw new Error(`cannot read the NATS ${what} ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function authenticator(credentials: NatsCredentials): Authenticator | undefined {
  switch (credentials.kind) {
    case 'none':
      return undefined;
    case 'nkey':
      return nkeyAuthenticator(() => readCredential(credentials.seedFile, 'nkey seed file'));
    case 'creds':
      return credsAuthenticator(() => readCredential(credentials.credsFile, 'creds file'));
  }
}

/**
 * The connection options beyond servers and name: credentials, TLS and, with an nkey seed, the user's own
 * inbox prefix (its generated permissions allow replies on `_INBOX_<user>.>` only).
 */
export function natsConnectionOptions(
  options: MessagingOptions,
  ns: Namespace,
): Partial<NodeConnectionOptions> {
  const credentials = options.credentials ?? { kind: 'none' };
  const auth = authenticator(credentials);
  if (credentials.kind === 'nkey') {
    // Fail at once with the file's name rather than later inside the client's handshake.
    readCredential(credentials.seedFile, 'nkey seed file');
  } else if (credentials.kind === 'creds') {
    readCredential(credentials.credsFile, 'creds file');
  }
  const tls = options.tls;
  return {
    ...(auth ? { authenticator: auth } : {}),
    // The generated permissions (nkey users) allow replies on the user's own prefix only. A creds file's JWT
    // carries permissions we did not make, so its client keeps the default `_INBOX`.
    ...(credentials.kind === 'nkey' ? { inboxPrefix: natsInboxPrefix(options.name, ns) } : {}),
    ...(tls && (tls.caFile || tls.certFile || tls.keyFile)
      ? {
          tls: {
            ...(tls.caFile ? { caFile: tls.caFile } : {}),
            ...(tls.certFile ? { certFile: tls.certFile } : {}),
            ...(tls.keyFile ? { keyFile: tls.keyFile } : {}),
          },
        }
      : {}),
  };
}

/**
 * One NATS connection per process: reconnects forever (JetStream keeps what was acked while we are away),
 * and drains on close so buffered acks and publishes are flushed before the socket goes.
 */
export class NatsClient {
  readonly namespace: Namespace;
  private connection?: NatsConnection;
  private manager?: JetStreamManager;
  private client?: JetStreamClient;

  constructor(readonly options: MessagingOptions) {
    this.namespace = new Namespace(options.namespace);
  }

  async connect(): Promise<this> {
    if (this.connection) return this;
    this.connection = await connect({
      servers: this.options.servers,
      name: this.options.name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      waitOnFirstConnect: true,
      // nats.js builds an Error (with its stack) per request and publish ack by default, only for the stack
      // of a timeout: ~5% of the gateway's CPU per forwarded call in bench/workforce. Our errors name the subject.
      noAsyncTraces: true,
      ...natsConnectionOptions(this.options, this.namespace),
    });
    this.client = jetstream(this.connection, { timeout: this.options.publishTimeoutMs ?? 5000 });
    this.manager = await jetstreamManager(this.connection, { timeout: 5000 });
    return this;
  }

  get nc(): NatsConnection {
    if (!this.connection) throw new Error('NATS is not connected yet');
    return this.connection;
  }

  get js(): JetStreamClient {
    if (!this.client) throw new Error('NATS is not connected yet');
    return this.client;
  }

  get jsm(): JetStreamManager {
    if (!this.manager) throw new Error('NATS is not connected yet');
    return this.manager;
  }

  /** Ready when connected and the JetStream API answers. */
  async ping(): Promise<void> {
    if (!this.connection || this.connection.isClosed() || this.connection.isDraining()) {
      throw new Error('NATS connection is not open');
    }
    await this.jsm.getAccountInfo();
  }

  /** Flushes and closes: in-flight acks and publishes reach the server first. */
  async drain(): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.isClosed()) return;
    if (!connection.isDraining()) await connection.drain();
    await connection.closed();
  }
}
