/** How a service proves who it is to NATS: nothing (a local server without users), an nkey seed or a creds file. */
export type NatsCredentials =
  | { readonly kind: 'none' }
  /** A file holding the user's nkey seed (`SU…`), e.g. mounted from a Secret; read again on every reconnect. */
  | { readonly kind: 'nkey'; readonly seedFile: string }
  /** A `.creds` file (user JWT and seed) for servers in operator/JWT mode; read again on every reconnect. */
  | { readonly kind: 'creds'; readonly credsFile: string };

/** TLS beyond the system's trust store: a private CA, and a client certificate when the server asks for one. */
export interface NatsTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
}

/** How a service reaches NATS. */
export interface MessagingOptions {
  /** Server URLs, e.g. `nats://127.0.0.1:4222` (`tls://` requires TLS). */
  servers: string[];
  /** Connection name shown by the server (`nats server report connections`); also the NATS user's name. */
  name: string;
  /** Deployment namespace: prefixes subjects and stream names; empty = the public layout. */
  namespace: string;
  /** How long a publish waits for the stream's ack. */
  publishTimeoutMs?: number;
  /** Default: none (a local server without users). */
  credentials?: NatsCredentials;
  tls?: NatsTls;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
