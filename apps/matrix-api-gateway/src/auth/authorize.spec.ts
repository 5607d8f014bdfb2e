import { AuthError } from './auth-error';
import { authorize } from './authorize';
import type { Principal, Role } from '../credentials/principal';

const propertyKey = (role: Role): Principal => ({ accessKey: 'AKA', orgId: 'ORG1', propId: 'propA', role });
const orgKey = (role: Role): Principal => ({ accessKey: 'AKO', orgId: 'ORG1', propId: null, role });

function refusal(run: () => void): AuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof AuthError) return error;
    throw error;
  }
  throw new Error('expected an AuthError, nothing was thrown');
}

describe('authorize', () => {
  it('lets a property credential use its own property up to its role', () => {
    expect(() => authorize(propertyKey('read'), 'read', { orgId: 'ORG1', propId: 'propA' })).not.toThrow();
    expect(() => authorize(propertyKey('write'), 'write', { propId: 'propA' })).not.toThrow();
    expect(() => authorize(propertyKey('admin'), 'write', { propId: 'propA' })).not.toThrow();
  });

  it('answers NOT_FOUND for another property, whatever the role, never FORBIDDEN', () => {
    for (const role of ['read', 'write', 'admin'] as const) {
      const error = refusal(() => authorize(propertyKey(role), 'read', { orgId: 'ORG1', propId: 'propB' }));
      expect(error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
      expect(error.message).toBe('property propB not found');
    }
    // Even when the role would also be too weak: existence is not leaked through a 403.
    expect(refusal(() => authorize(propertyKey('read'), 'admin', { propId: 'propB' })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('answers NOT_FOUND for another organisation', () => {
    expect(refusal(() => authorize(orgKey('admin'), 'read', { orgId: 'ORG2' })).code).toBe('NOT_FOUND');
    expect(
      refusal(() => authorize(propertyKey('admin'), 'read', { orgId: 'ORG2', propId: 'propA' })).code,
    ).toBe('NOT_FOUND');
  });

  it('answers FORBIDDEN when the role is too weak on a visible property', () => {
    const error = refusal(() => authorize(propertyKey('read'), 'write', { orgId: 'ORG1', propId: 'propA' }));
    expect(error).toMatchObject({ code: 'FORBIDDEN', status: 403 });
    expect(error.message).toBe('this credential has the read role; the operation needs write');
    expect(refusal(() => authorize(propertyKey('write'), 'admin', { propId: 'propA' })).code).toBe(
      'FORBIDDEN',
    );
  });

  it('lets an org-wide credential see every property of its organisation, and only those', () => {
    expect(() => authorize(orgKey('read'), 'read', { orgId: 'ORG1', propId: 'propA' })).not.toThrow();
    expect(() => authorize(orgKey('read'), 'read', { orgId: 'ORG1', propId: 'propZ' })).not.toThrow();
    expect(() => authorize(orgKey('admin'), 'admin', { orgId: 'ORG1' })).not.toThrow();
    expect(refusal(() => authorize(orgKey('admin'), 'read', { orgId: 'ORG2', propId: 'propX' })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('fails closed when an org-wide credential is given a property without its organisation', () => {
    expect(refusal(() => authorize(orgKey('admin'), 'read', { propId: 'propA' })).code).toBe('NOT_FOUND');
  });

  it('lets a property credential read at organisation level but not change it', () => {
    expect(() => authorize(propertyKey('admin'), 'read', { orgId: 'ORG1' })).not.toThrow();
    const error = refusal(() => authorize(propertyKey('admin'), 'admin', { orgId: 'ORG1' }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/organisation-wide credential/);
  });
});
