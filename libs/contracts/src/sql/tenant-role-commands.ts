import { isObject, objectReply, type Decoder } from '../workforce/command-decoders';

/*
 * ⚠️ Request/reply subjects of sql-projector's tenant roles (`sql.tenant-role.<verb>.v1`): a contract
 * between the gateway, matrix-cli and sql-projector, which owns the `matrix` schema and so creates the
 * roles. A tenant role is a PostgreSQL login role that reads the property's rows of the dedicated
 * database and nothing else (docs/sql.md, Access). Error codes: CONFLICT (create: the property has a
 * role), NOT_FOUND (rotate/revoke: it has none, or `role` is not its role), INVALID_REQUEST.
 */

/** Longest property id accepted (the registry's ids are far shorter). */
export const MAX_TENANT_PROP_ID_LENGTH = 128;

export interface TenantRoleRequestV1 {
  /** The property whose rows the role reads. */
  propId: string;
}

export interface RevokeTenantRoleRequestV1 extends TenantRoleRequestV1 {
  /** When given, the role must be this property's role (a REST path names it). */
  role?: string;
}

/** A role with its password, answered by create and rotate: the password is shown this once. */
export interface TenantRoleCredentialsV1 {
  role: string;
  propId: string;
  password: string;
  /** `postgres://<role>:<password>@<host>:<port>/<database>` for the customer (host from SQL_TENANT_URL). */
  connectionString: string;
}

export interface RevokedTenantRoleV1 {
  role: string;
  propId: string;
  /** Sessions of the role that were open and have been ended. */
  sessionsEnded: number;
}

/** The role names sql-projector generates: `matrix_t_` and 20 lowercase hex digits. */
export const TENANT_ROLE_NAME = /^matrix_t_[0-9a-f]{20}$/;

function propId(json: Record<string, unknown>, problems: string[]): void {
  const value = json.propId;
  if (typeof value !== 'string' || value.trim() === '') {
    problems.push('propId: must be a non-empty string');
  } else if (value.length > MAX_TENANT_PROP_ID_LENGTH || value.includes('\u0000')) {
    problems.push(`propId: must be at most ${MAX_TENANT_PROP_ID_LENGTH} characters, without NUL`);
  }
}

/**
 * Decodes a request of a property's SQL command (tenant roles, sinks): an object with a valid `propId`,
 * plus what `check` adds.
 */
export function propertyRequest<T>(
  check?: (json: Record<string, unknown>, problems: string[]) => void,
): Decoder<T> {
  return (json) => {
    if (!isObject(json)) return { ok: false, errors: ['request: must be an object'] };
    const problems: string[] = [];
    propId(json, problems);
    check?.(json, problems);
    return problems.length ? { ok: false, errors: problems } : { ok: true, value: json as T };
  };
}

/** sql-projector's tenant-role commands (structurally `CommandSpec`s of @matrix/messaging). */
export const TENANT_ROLE_COMMANDS = {
  create: {
    subject: 'sql.tenant-role.create.v1',
    timeoutMs: 15_000,
    decodeRequest: propertyRequest<TenantRoleRequestV1>(),
    decodeReply: objectReply<TenantRoleCredentialsV1>(),
  },
  rotate: {
    subject: 'sql.tenant-role.rotate.v1',
    timeoutMs: 15_000,
    decodeRequest: propertyRequest<TenantRoleRequestV1>(),
    decodeReply: objectReply<TenantRoleCredentialsV1>(),
  },
  revoke: {
    subject: 'sql.tenant-role.revoke.v1',
    timeoutMs: 15_000,
    decodeRequest: propertyRequest<RevokeTenantRoleRequestV1>((json, problems) => {
      if (json.role !== undefined && (typeof json.role !== 'string' || !TENANT_ROLE_NAME.test(json.role))) {
        problems.push('role: must be a tenant role name (matrix_t_ and 20 hex digits)');
      }
    }),
    decodeReply: objectReply<RevokedTenantRoleV1>(),
  },
} as const;
