import { newTenantPassword, newTenantRoleName, tenantConnectionString } from './tenant-credentials';

describe('tenant credentials', () => {
  it('names roles matrix_t_ and 20 hex digits, a new one each time', () => {
    const names = new Set(Array.from({ length: 50 }, newTenantRoleName));
    expect(names.size).toBe(50);
    for (const name of names) expect(name).toMatch(/^matrix_t_[0-9a-f]{20}$/);
  });

  it('makes 32-character URL-safe passwords', () => {
    expect(newTenantPassword()).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('connects to SQL_TENANT_URL when set (keeping its parameters, replacing its credentials)', () => {
    expect(
      tenantConnectionString(
        {
          tenantUrl: 'postgres://ignored:x@db.example.com:6432/matrix?sslmode=require',
          databaseUrl: 'postgres://matrix:secret@10.0.0.5:5432/matrix',
        },
        'matrix_t_0123456789abcdef0123',
        'pa-ss_word',
      ),
    ).toBe('postgres://matrix_t_0123456789abcdef0123:pa-ss_word@db.example.com:6432/matrix?sslmode=require');
  });

  it("else to DATABASE_URL's host, port and database, without its credentials or parameters", () => {
    expect(
      tenantConnectionString(
        { databaseUrl: 'postgres://matrix:secret@10.0.0.5:5432/matrix?application_name=x' },
        'matrix_t_0123456789abcdef0123',
        'pw',
      ),
    ).toBe('postgres://matrix_t_0123456789abcdef0123:pw@10.0.0.5:5432/matrix');
  });
});
