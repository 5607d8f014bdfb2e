import { Injectable } from '@nestjs/common';
import type { RegistryAccess } from '../auth/registry-access';
import { newId, RegistryDb } from './registry-db';
import { notFound, RegistryError } from './registry-error';
import { CreatePropertyInput, UpdatePropertyInput } from './registry-inputs';
import type { Property } from './registry.types';
import { toProperty } from './rows';
import { validateInput } from './validate-input';

@Injectable()
export class PropertiesService {
  constructor(private readonly db: RegistryDb) {}

  /** The properties the caller can see: its own, or every property of its organisation. */
  async list(access: RegistryAccess): Promise<Property[]> {
    const rows = access.propId
      ? await this.db.query('select * from registry.properties where prop_id = $1', [access.propId])
      : await this.db.query('select * from registry.properties where org_id = $1 order by name', [
          access.orgId,
        ]);
    return rows.map(toProperty).filter((p) => p.orgId === access.orgId);
  }

  async read(access: RegistryAccess, propId: string): Promise<Property> {
    const [row] = await this.db.query('select * from registry.properties where prop_id = $1', [propId]);
    const missing = () => notFound('property', propId);
    if (!row) throw missing();
    const property = toProperty(row);
    access.check('read', { orgId: property.orgId, propId }, missing);
    return property;
  }

  /** Only an organisation-wide admin creates properties. */
  async create(access: RegistryAccess, input: unknown, strict = false): Promise<Property> {
    const data = validateInput(CreatePropertyInput, input, strict);
    if (access.propId !== null) {
      throw new RegistryError('INVALID', 'properties are created with an organisation-wide credential');
    }
    access.check('admin', { orgId: access.orgId }, () => notFound('organisation', access.orgId));
    const [row] = await this.db.query(
      `insert into registry.properties (prop_id, org_id, name, type_id, address, time_zone, country, country_locale, created_by, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) returning *`,
      [
        newId(),
        access.orgId,
        data.name,
        data.typeId,
        data.address ?? null,
        data.timeZone,
        data.country ?? null,
        data.countryLocale ?? null,
        access.actor,
      ],
    );
    return toProperty(row!);
  }

  /** A property's name or status; an admin of the property (or its organisation) changes them. */
  async update(access: RegistryAccess, propId: string, input: unknown, strict = false): Promise<Property> {
    const data = validateInput(UpdatePropertyInput, input, strict);
    const current = await this.read(access, propId);
    access.check('admin', { orgId: current.orgId, propId }, () => notFound('property', propId));
    const [row] = await this.db.query(
      `update registry.properties set name = $2, status = $3, updated_by = $4, updated_on = now()
       where prop_id = $1 returning *`,
      [propId, data.name ?? current.name, data.status ?? current.status, access.actor],
    );
    return toProperty(row!);
  }
}
