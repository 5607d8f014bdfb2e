import { randomBytes } from 'node:crypto';

/**
 * A new tenant role name: `matrix_t_` and 20 hex digits (80 random bits). Random rather than derived
 * from the property id, so a name tells nothing about the property (role names are visible to every
 * role of the cluster in `pg_roles`) and any property id, whatever its characters or length, gets a
 * valid identifier. `matrix.tenant_roles` maps it to the property; its primary key refuses a repeat.
 */
export function newTenantRoleName(): string {
  return `matrix_t_${randomBytes(10).toString('hex')}`;
}

/** A new password: 32 URL-safe base64 characters (192 random bits). */
export function newTenantPassword(): string {
  return randomBytes(24).toString('base64url');
}

/**
 * The connection string a tenant uses: host, port, database and parameters (e.g. `sslmode`) of `base`
 * — SQL_TENANT_URL, the address customers reach, else DATABASE_URL without its parameters — with the
 * role and password as credentials.
 */
export function tenantConnectionString(
  base: { readonly tenantUrl?: string; readonly databaseUrl: string },
  role: string,
  password: string,
): string {
  const url = new URL(base.tenantUrl || base.databaseUrl);
  if (!base.tenantUrl) url.search = '';
  url.username = encodeURIComponent(role);
  url.password = encodeURIComponent(password);
  return url.toString();
}
