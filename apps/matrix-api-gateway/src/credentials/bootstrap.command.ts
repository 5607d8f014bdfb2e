import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isValidTimeZone } from '@matrix/contracts';
import { Database, runMigrations } from '@matrix/persistence';
import { systemClock } from '../clock';
import type { Role } from './principal';
import { loadConfig } from '../config/matrix-api-gateway.config';
import { persistenceOptions } from '../persistence-options';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { SecretBox } from '@matrix/platform';

/** What `main.cjs bootstrap` creates: an organisation, a property, and admin credentials. */
export interface BootstrapRequest {
  readonly orgId: string;
  readonly orgName: string;
  readonly propertyName: string;
  readonly timeZone: string;
  readonly typeId: string;
  /** Also issue an organisation-wide admin credential. */
  readonly orgWide: boolean;
}

/** Printed as JSON on stdout; the secrets are shown here and never again. */
export interface BootstrapResult {
  readonly org: string;
  readonly propid: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly role: Role;
  /** Whether this run created the organisation / property (false: found by id / by name). */
  readonly created: { readonly org: boolean; readonly property: boolean };
  readonly orgWide?: { readonly accessKey: string; readonly secretKey: string; readonly role: Role };
}

/** Bad arguments; the message lists every problem and the usage. */
export class BootstrapUsageError extends Error {
  override readonly name = 'BootstrapUsageError';
}

export const BOOTSTRAP_USAGE = `usage: main.cjs bootstrap --org <ORG_ID> --property <name> [--org-name <name>]
         [--time-zone <IANA zone, default UTC>] [--type <property type, default COMMERCIAL_BUILDINGS>] [--org-wide]
  or the variables BOOTSTRAP_ORG, BOOTSTRAP_PROPERTY, BOOTSTRAP_ORG_NAME, BOOTSTRAP_TIME_ZONE, BOOTSTRAP_TYPE,
  BOOTSTRAP_ORG_WIDE=true (flags win). Needs the gateway's DATABASE_URL and MATRIX_SECRET_KEY.
  Creates the organisation (by id) and the property (by name in it) unless they exist, runs pending
  migrations first, and issues a new admin credential of the property on every run.`;

/** Reads flags (winning) and BOOTSTRAP_* variables; throws {@link BootstrapUsageError} listing every problem. */
export function parseBootstrapArgs(args: readonly string[], env: NodeJS.ProcessEnv): BootstrapRequest {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...args],
      options: {
        org: { type: 'string' },
        'org-name': { type: 'string' },
        property: { type: 'string' },
        'time-zone': { type: 'string' },
        type: { type: 'string' },
        'org-wide': { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new BootstrapUsageError(`${(error as Error).message}\n${BOOTSTRAP_USAGE}`);
  }
  const pick = (flag: string, variable: string) => {
    const value = values[flag];
    return (typeof value === 'string' ? value : env[variable])?.trim() ?? '';
  };
  const orgId = pick('org', 'BOOTSTRAP_ORG');
  const request: BootstrapRequest = {
    orgId,
    orgName: pick('org-name', 'BOOTSTRAP_ORG_NAME') || orgId,
    propertyName: pick('property', 'BOOTSTRAP_PROPERTY'),
    timeZone: pick('time-zone', 'BOOTSTRAP_TIME_ZONE') || 'UTC',
    typeId: pick('type', 'BOOTSTRAP_TYPE') || 'COMMERCIAL_BUILDINGS',
    orgWide: values['org-wide'] === true || env['BOOTSTRAP_ORG_WIDE'] === 'true',
  };
  const problems: string[] = [];
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(request.orgId)) {
    problems.push('--org must be 1–64 letters, digits, "_" or "-"');
  }
  if (request.orgName.length > 200) problems.push('--org-name is longer than 200 characters');
  if (request.propertyName.length < 1 || request.propertyName.length > 200) {
    problems.push('--property must be a name of 1–200 characters');
  }
  if (!isValidTimeZone(request.timeZone)) {
    problems.push(`--time-zone "${request.timeZone}" is not an IANA time zone`);
  }
  if (!/^[A-Z0-9_/-]{1,64}$/.test(request.typeId)) {
    problems.push('--type must be an upper-case type id such as COMMERCIAL_BUILDINGS');
  }
  if (problems.length > 0) throw new BootstrapUsageError(`${problems.join('\n')}\n${BOOTSTRAP_USAGE}`);
  return request;
}

/**
 * Runs pending migrations, then creates the organisation and the property unless they exist
 * (idempotent: organisation by id, property by name within it) and issues a new admin credential
 * of the property (and, if asked, an organisation-wide one). A secret cannot be shown twice, so
 * every run issues new credentials; earlier ones stay valid until revoked.
 */
export async function bootstrap(request: BootstrapRequest, env: NodeJS.ProcessEnv): Promise<BootstrapResult> {
  const config = loadConfig(env);
  const options = persistenceOptions(config);
  await runMigrations(options);
  const db = Database.create({ ...options, poolMax: 2 });
  try {
    const { orgCreated, propId, propertyCreated } = await db.transaction(async (tx) => {
      const org = await tx.query(
        `insert into registry.organisations (org_id, name) values ($1, $2) on conflict (org_id) do nothing returning org_id`,
        [request.orgId, request.orgName],
      );
      const find = async () => {
        const rows = await tx.query<{ prop_id: string }>(
          `select prop_id from registry.properties where org_id = $1 and lower(name) = lower($2)`,
          [request.orgId, request.propertyName],
        );
        return rows[0]?.prop_id;
      };
      const existing = await find();
      if (existing) return { orgCreated: org.length === 1, propId: existing, propertyCreated: false };
      const inserted = await tx.query<{ prop_id: string }>(
        `insert into registry.properties (prop_id, org_id, name, type_id, time_zone, created_by, updated_by)
         values ($1, $2, $3, $4, $5, 'bootstrap', 'bootstrap') on conflict do nothing returning prop_id`,
        [
          randomUUID().replace(/-/g, ''),
          request.orgId,
          request.propertyName,
          request.typeId,
          request.timeZone,
        ],
      );
      const propId = inserted[0]?.prop_id ?? (await find());
      if (!propId) throw new Error(`property "${request.propertyName}" could neither be created nor found`);
      return { orgCreated: org.length === 1, propId, propertyCreated: inserted.length === 1 };
    });
    const credentials = new CredentialsService(
      new CredentialsRepository(db),
      new SecretBox(config.auth.secretKey),
      systemClock,
    );
    const admin = await credentials.create({
      orgId: request.orgId,
      propId,
      role: 'admin',
      label: 'bootstrap',
    });
    const orgWide = request.orgWide
      ? await credentials.create({
          orgId: request.orgId,
          role: 'admin',
          label: 'bootstrap (organisation-wide)',
        })
      : undefined;
    return {
      org: request.orgId,
      propid: propId,
      accessKey: admin.accessKey,
      secretKey: admin.secretKey,
      role: admin.role,
      created: { org: orgCreated, property: propertyCreated },
      ...(orgWide && {
        orgWide: { accessKey: orgWide.accessKey, secretKey: orgWide.secretKey, role: orgWide.role },
      }),
    };
  } finally {
    await db.close();
  }
}

/** `main.cjs bootstrap [flags]`: prints the {@link BootstrapResult} as one JSON line; bad arguments exit 64. */
export async function runBootstrapCommand(args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  let request: BootstrapRequest;
  try {
    request = parseBootstrapArgs(args, env);
  } catch (error) {
    if (!(error instanceof BootstrapUsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 64;
    return;
  }
  process.stdout.write(`${JSON.stringify(await bootstrap(request, env))}\n`);
}
