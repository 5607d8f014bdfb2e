/*
 * ⚠️ A persistent contract: the bucket name and entry shape are shared by matrix-api-gateway (writes, through
 * its outbox) and event-router (reads).
 */

/**
 * JetStream KV bucket of the registry's principals below an organisation: key = a building's PID or a
 * property's PropId, value = {@link PrincipalEntry}. event-router resolves push subscription scopes with it,
 * so a building or property created after a subscription is in its owner's scope at once.
 */
export const PRINCIPALS_BUCKET = 'PRINCIPALS';

/** Where a principal sits: its organisation and property (a property's own id for a property). */
export interface PrincipalEntry {
  readonly type: 'building' | 'property';
  readonly org: string;
  readonly property: string;
}

/** Reads a {@link PRINCIPALS_BUCKET} value. */
export function parsePrincipalEntry(
  _key: string,
  value: unknown,
): { ok: true; entry: PrincipalEntry } | { ok: false; errors: string[] } {
  const v = value as Partial<Record<keyof PrincipalEntry, unknown>> | null;
  const errors: string[] = [];
  if (typeof v !== 'object' || v === null) return { ok: false, errors: ['not an object'] };
  if (v.type !== 'building' && v.type !== 'property') errors.push('type: must be building or property');
  if (typeof v.org !== 'string' || v.org === '') errors.push('org: must be a non-empty string');
  if (typeof v.property !== 'string' || v.property === '') {
    errors.push('property: must be a non-empty string');
  }
  return errors.length === 0 ? { ok: true, entry: v as PrincipalEntry } : { ok: false, errors };
}

/** Whether an owner (an organisation, or one of its properties) may receive messages of this principal. */
export function principalOwnedBy(
  entry: PrincipalEntry | undefined,
  owner: { readonly org: string; readonly property: string | null },
): boolean {
  if (entry === undefined || entry.org !== owner.org) return false;
  return owner.property === null || entry.property === owner.property;
}
