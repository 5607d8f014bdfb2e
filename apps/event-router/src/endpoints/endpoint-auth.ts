import type { EndpointAuthV1 } from '@matrix/contracts';
import { send } from './http-sender';
import type { TargetGuard } from './target-guard';

interface CachedToken {
  value: string;
  expiresAt: number;
}

/** Tokens are renewed this long before they expire. */
const MARGIN_MS = 30_000;

/**
 * Headers that authenticate the router towards an endpoint: Basic, a static header, or an OAuth2
 * client-credentials bearer token, cached per (token URL, client, scope, audience) until shortly before it
 * expires and dropped when the endpoint answers 401. The token endpoint goes through the SSRF guard too.
 */
export class EndpointAuth {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly guard: TargetGuard,
    private readonly now: () => number = Date.now,
  ) {}

  async headers(auth: EndpointAuthV1, timeoutMs: number): Promise<Record<string, string>> {
    switch (auth.type) {
      case 'none':
        return {};
      case 'basic':
        return {
          authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`,
        };
      case 'header':
        return { [auth.name.toLowerCase()]: auth.value };
      case 'oauth2':
        return { authorization: `Bearer ${await this.token(auth, timeoutMs)}` };
    }
  }

  /** The endpoint refused the token (401): fetch a new one next time. */
  invalidate(auth: EndpointAuthV1): void {
    if (auth.type === 'oauth2') this.tokens.delete(keyOf(auth));
  }

  private async token(auth: Extract<EndpointAuthV1, { type: 'oauth2' }>, timeoutMs: number): Promise<string> {
    const key = keyOf(auth);
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt - MARGIN_MS > this.now()) return cached.value;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (auth.scope) form.set('scope', auth.scope);
    if (auth.audience) form.set('audience', auth.audience);
    const result = await send(
      this.guard,
      auth.tokenUrl,
      form.toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64')}`,
      },
      timeoutMs,
      65_536,
    );
    let parsed: { access_token?: unknown; expires_in?: unknown } = {};
    try {
      parsed = JSON.parse(result.response ?? '') as typeof parsed;
    } catch {
      // handled below
    }
    if (result.outcome !== 'delivered' || typeof parsed.access_token !== 'string') {
      throw new Error(
        `OAuth2 token request to ${auth.tokenUrl} failed: ${result.statusCode ?? result.outcome} ${(result.response ?? '').slice(0, 200)}`,
      );
    }
    const ttl = typeof parsed.expires_in === 'number' ? parsed.expires_in * 1000 : 3_600_000;
    this.tokens.set(key, { value: parsed.access_token, expiresAt: this.now() + ttl });
    return parsed.access_token;
  }
}

function keyOf(auth: Extract<EndpointAuthV1, { type: 'oauth2' }>): string {
  return JSON.stringify([
    auth.tokenUrl,
    auth.clientId,
    auth.clientSecret,
    auth.scope ?? '',
    auth.audience ?? '',
  ]);
}
