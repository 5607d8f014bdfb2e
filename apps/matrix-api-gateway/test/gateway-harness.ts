import type { INestApplication } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import {
  deleteKvBuckets,
  deleteTopology,
  MATRIX_KV_BUCKETS,
  MATRIX_TOPOLOGY,
  NatsClient,
  provisionKvBuckets,
  provisionTopology,
} from '@matrix/messaging';
import { createTestDatabase, testNatsUrl, uniqueNamespace, type TestDatabase } from '@matrix/testing';
import { AppModule, type AppModuleOptions } from '../src/app.module';
import { loadConfig } from '../src/config/matrix-api-gateway.config';
import { bootstrap, type BootstrapResult } from '../src/credentials/bootstrap.command';
import { CredentialsService } from '../src/credentials/credentials.service';
import { createGatewayApp } from '../src/gateway-http-adapter';

export interface Keys {
  accessKey: string;
  secretKey: string;
}

/**
 * The whole gateway on a random port, on a fresh database and NATS namespace, with an organisation whose
 * property has an admin credential (and an org-wide admin credential). Signing is written from the
 * Matrix reference (§4.2), not imported from the gateway.
 */
export class GatewayHarness {
  db!: TestDatabase;
  nats!: NatsClient;
  app!: INestApplication;
  url!: string;
  env!: NodeJS.ProcessEnv;
  tenant!: BootstrapResult;

  constructor(
    private readonly label: string,
    private readonly options: AppModuleOptions = {},
    /** More gateway variables (e.g. `AUTH_OIDC_*`), over the harness's own. */
    private readonly extraEnv: NodeJS.ProcessEnv = {},
  ) {}

  async start(): Promise<this> {
    this.db = await createTestDatabase(this.label);
    const namespace = uniqueNamespace(this.label);
    this.env = {
      DATABASE_URL: this.db.url,
      NATS_URL: testNatsUrl(),
      NATS_NAMESPACE: namespace,
      MATRIX_SECRET_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'error',
      RATE_LIMIT_PER_SECOND: '10000',
      RATE_LIMIT_BURST: '10000',
      ...this.extraEnv,
    };
    this.nats = await new NatsClient({
      servers: [testNatsUrl()],
      name: `test-${this.label}`,
      namespace,
    }).connect();
    await provisionTopology(this.nats.jsm, MATRIX_TOPOLOGY, this.nats.namespace);
    await provisionKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
    this.tenant = await this.bootstrap('ACME', 'HQ Campus', true);
    this.app = await createGatewayApp(AppModule.forRoot(loadConfig(this.env), this.options), {
      logger: false,
    });
    await this.app.listen(0, '127.0.0.1');
    this.url = (await this.app.getUrl()).replace('[::1]', '127.0.0.1');
    return this;
  }

  bootstrap(orgId: string, propertyName: string, orgWide = false): Promise<BootstrapResult> {
    return bootstrap(
      {
        orgId,
        orgName: orgId,
        propertyName,
        timeZone: 'Europe/Berlin',
        typeId: 'COMMERCIAL_BUILDINGS',
        orgWide,
      },
      this.env,
    );
  }

  async stop(): Promise<void> {
    await this.app?.close();
    if (this.nats) {
      await deleteTopology(this.nats.jsm, MATRIX_TOPOLOGY, this.nats.namespace);
      await deleteKvBuckets(this.nats.nc, MATRIX_KV_BUCKETS, this.nats.namespace);
      await this.nats.drain();
    }
    await this.db?.drop();
  }

  /**
   * A grids op (`scgrids.<op>`) signed by `keys`, in the organisation and for the property the keys carry
   * (a bootstrapped tenant's), else the harness tenant's, unless `call` names others.
   */
  grids(
    keys: Keys & { org?: string; propid?: string },
    op: string,
    body: unknown,
    call: { pid?: string; propid?: string; org?: string } = {},
  ) {
    return this.action(
      keys,
      {
        op: `scgrids.${op}`,
        org: keys.org ?? this.tenant.org,
        propid: keys.propid ?? this.tenant.propid,
        ...call,
      },
      body,
    );
  }

  /** A Matrix actions API call signed with SC-HMAC v1, as the Python SDK signs it. */
  async action(
    keys: Keys,
    call: { module?: string; op: string; pid?: string; propid?: string; org?: string },
    body: unknown = {},
  ) {
    const module = call.module ?? 'scgrids';
    const propid = call.propid ?? this.tenant.propid;
    const epoch = Math.floor(Date.now() / 1000);
    const toSign = `${module}/${propid}/${call.op}/${keys.accessKey}/${epoch}`;
    const signature = createHmac('sha256', Buffer.from(keys.secretKey, 'utf8'))
      .update(toSign, 'utf8')
      .digest('hex');
    const query = new URLSearchParams({
      op: call.op,
      org: call.org ?? this.tenant.org,
      pid: call.pid ?? 'scnoop',
      propid,
    });
    return this.send(`${this.url}/prod/v2/${module}/v1/actions?${query}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sc-identity': 'external',
        'x-sc-time': String(epoch),
        authorization: `SCHMAC_V1;${keys.accessKey};${signature}`,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** A REST v1 call with Basic credentials. */
  async rest(keys: Keys, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    return this.send(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${keys.accessKey}:${keys.secretKey}`).toString('base64')}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  /** A read-only access key of the harness tenant's property. */
  async readKey(): Promise<Keys> {
    const issued = await this.app
      .get(CredentialsService)
      .create({ orgId: this.tenant.org, propId: this.tenant.propid, role: 'read', label: 'viewer' });
    return { accessKey: issued.accessKey, secretKey: issued.secretKey };
  }

  /** A building of `tenant`'s property, made over REST v1 (a 201 expected); answers its pid. */
  async building(
    tenant: Keys & { propid: string },
    name: string,
    levelsCount: number,
    timeZone = 'Asia/Singapore',
  ): Promise<string> {
    const created = await this.rest(tenant, 'POST', `/v1/properties/${tenant.propid}/buildings`, {
      name,
      levelsCount,
      timeZone,
    });
    if (created.status !== 201) {
      throw new Error(`building ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    }
    return created.body.pid as string;
  }

  private async send(
    url: string,
    init: RequestInit,
  ): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(url, init);
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON
    }
    return { status: response.status, body, headers: response.headers };
  }
}
