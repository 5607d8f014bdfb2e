import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
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

/**
 * Runs SQL on a transaction's manager and returns the rows. (TypeORM hands back `[rows, rowCount]` for
 * UPDATE and DELETE on PostgreSQL, the rows alone for the rest.)
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows of hand-written SQL; callers map them with rows.ts
export async function q<T = any>(
  manager: EntityManager | DataSource,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const result: unknown = await manager.query(sql, params);
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  return result as T[];
}

/** SQL access for the registry services: reads, and transactions that carry an outbox. */
@Injectable()
export class RegistryDb {
  constructor(readonly dataSource: DataSource) {}

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    try {
      return await q<T>(this.dataSource, sql, params);
    } catch (error) {
      throw translate(error);
    }
  }

  async transaction<T>(work: (tx: EntityManager, outbox: Outbox) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction((tx) => work(tx, new Outbox(tx)));
    } catch (error) {
      throw translate(error);
    }
  }
}

/** PostgreSQL constraint violations become registry errors a client can act on. */
function translate(error: unknown): unknown {
  const pg = error as { code?: string; constraint?: string; detail?: string };
  switch (pg.code) {
    case '23505':
      return new RegistryError('CONFLICT', conflictMessage(pg.constraint));
    case '23503':
      return new RegistryError(
        'NOT_FOUND',
        `a referenced entity does not exist (${pg.constraint ?? 'reference'})`,
      );
    case '23514':
      return new RegistryError('INVALID', `a value is out of range (${pg.constraint ?? 'check'})`);
    case '22P02':
    case '22003':
    case '22001':
    case '22021': // invalid byte sequence (e.g. NUL in text)
    case '22P05': // untranslatable character (e.g. \u0000 in jsonb)
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
  };
  return messages[constraint ?? ''] ?? `already exists (${constraint ?? 'unique'})`;
}
