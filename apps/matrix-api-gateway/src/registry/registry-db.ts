import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { classifyPgError, Database, pgError, type Transaction } from '@matrix/persistence';
import { Outbox } from '../outbox/outbox';
import { RegistryError } from './registry-error';

/** Matrix-style ids: 32 lowercase hex characters. */
export const newId = () => randomUUID().replace(/-/g, '');

/** A keyset cursor is the last id of a page, opaque to callers. */
export const encodeCursor = (id: string) => Buffer.from(id, 'utf8').toString('base64url');
export function decodeCursor(cursor: string | undefined): string {
  if (!cursor) return '';
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[A-Za-z0-9_-]{0,128}$/.test(id)) {
    throw new RegistryError('INVALID', 'the cursor is not one this API returned');
  }
  return id;
}

/** SQL access for the registry services: reads, and transactions that carry an outbox. */
@Injectable()
export class RegistryDb {
  constructor(readonly db: Database) {}

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return await this.db.query<T>(sql, params);
    } catch (error) {
      throw translate(error);
    }
  }

  async transaction<T>(work: (tx: Transaction, outbox: Outbox) => Promise<T>): Promise<T> {
    try {
      return await this.db.transaction((tx) => work(tx, new Outbox(tx)));
    } catch (error) {
      throw translate(error);
    }
  }
}

/** PostgreSQL constraint violations and refused values become registry errors a client can act on. */
function translate(error: unknown): unknown {
  const constraint = pgError(error)?.constraint;
  switch (classifyPgError(error)) {
    case 'unique-violation':
      return new RegistryError('CONFLICT', conflictMessage(constraint));
    case 'foreign-key-violation':
      return new RegistryError(
        'NOT_FOUND',
        `a referenced entity does not exist (${constraint ?? 'reference'})`,
      );
    case 'check-violation':
      return new RegistryError('INVALID', `a value is out of range (${constraint ?? 'check'})`);
    case 'data-exception': // wrong type, too long, NUL in text or jsonb, …
      return new RegistryError('INVALID', 'a value has the wrong type or is too large');
    default:
      return error;
  }
}

function conflictMessage(constraint: string | undefined): string {
  const messages: Record<string, string> = {
    buildings_property_name: 'the building name is already taken in this property',
    levels_building_name: 'the level name is already taken in this building',
    properties_org_name: 'the property name is already taken in this organisation',
    device_slots_pkey: 'a device slot with this alias already exists',
    buildings_pkey: 'a building with this id already exists',
    // Two concurrent creations of one id (the services refuse a taken id before inserting).
    property_types_key: 'the property type already exists',
    zone_categories_key: 'the zone category already exists in this property',
  };
  return messages[constraint ?? ''] ?? `already exists (${constraint ?? 'unique'})`;
}
