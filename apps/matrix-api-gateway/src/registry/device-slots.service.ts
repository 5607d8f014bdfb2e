import { Injectable } from '@nestjs/common';
import { parseDevType } from '@matrix/contracts';
import { BuildingsService } from './buildings.service';
import { directoryEntry } from './matrix-shapes';
import type { RegistryAccess } from '../auth/registry-access';
import { decodeCursor, encodeCursor, newId, RegistryDb } from './registry-db';
import { notFound, RegistryError } from './registry-error';
import { CreateDeviceSlotInput, UpdateDeviceSlotInput } from './registry-inputs';
import type { DeviceSlot, Page } from './registry.types';
import { toDeviceSlot } from './rows';
import { validateInput } from './validate-input';

const SELECT = `select s.*, z.lid, b.prop_id, p.org_id from registry.device_slots s
  join registry.zones z on z.ins_id = s.zone_id join registry.buildings b on b.pid = s.pid
  join registry.properties p on p.prop_id = b.prop_id`;

export const SLOT_PAGE = { default: 500, max: 5000 };

export interface SlotFilter {
  provider?: string;
  type?: string;
}

/** Device slots (reference §3.3, §7.3). Every change also updates the DEVICE_SLOTS directory through the outbox. */
@Injectable()
export class DeviceSlotsService {
  constructor(
    private readonly db: RegistryDb,
    private readonly buildings: BuildingsService,
  ) {}

  /** Slots of a building, filtered by provider (`SMARTCLEAN`) and/or type (`SMARTCLEAN#PPLCTR` or `PPLCTR`). */
  async list(
    access: RegistryAccess,
    pid: string,
    filter: SlotFilter = {},
    cursor?: string,
    limit = SLOT_PAGE.default,
  ): Promise<Page<DeviceSlot>> {
    await this.buildings.load(access, pid);
    if (!Number.isInteger(limit) || limit < 1 || limit > SLOT_PAGE.max) {
      throw new RegistryError('INVALID', `limit must be a whole number from 1 to ${SLOT_PAGE.max}`);
    }
    const type =
      filter.type && !filter.type.includes('#') && filter.provider
        ? `${filter.provider}#${filter.type}`
        : filter.type;
    const rows = await this.db.query(
      `${SELECT} where s.pid = $1 and s.alias > $2 and ($3::text is null or s.provider = $3)
         and ($4::text is null or s.type = $4 or split_part(s.type, '#', 2) = $4)
       order by s.alias limit $5`,
      [pid, decodeCursor(cursor), filter.provider ?? null, type ?? null, limit + 1],
    );
    const items = rows.slice(0, limit).map(toDeviceSlot);
    return rows.length > limit ? { items, next: encodeCursor(items[items.length - 1]!.alias) } : { items };
  }

  /** Slots by alias; aliases the caller may not see are left out, as missing ones are. */
  async getByAliases(access: RegistryAccess, aliases: string[]): Promise<DeviceSlot[]> {
    if (aliases.length > SLOT_PAGE.max) {
      throw new RegistryError('LIMIT_VIOLATED', `at most ${SLOT_PAGE.max} aliases`);
    }
    const rows = await this.db.query(`${SELECT} where s.alias = any($1::text[]) order by s.alias`, [aliases]);
    return rows.map(toDeviceSlot).filter((slot) => access.canSee({ orgId: slot.orgId, propId: slot.propId }));
  }

  async read(access: RegistryAccess, alias: string): Promise<DeviceSlot> {
    const [slot] = await this.getByAliases(access, [alias]);
    if (!slot) throw notFound('device slot', alias);
    return slot;
  }

  async create(access: RegistryAccess, pid: string, input: unknown, strict = false): Promise<DeviceSlot> {
    const data = validateInput(CreateDeviceSlotInput, input, strict);
    const building = await this.buildings.load(access, pid, 'write');
    const alias = data.alias ?? newId();
    return this.db.transaction(async (tx, outbox) => {
      const [zone] = await tx.query('select 1 from registry.zones where ins_id = $1 and pid = $2', [
        data.zoneId,
        pid,
      ]);
      if (!zone) throw new RegistryError('INVALID', `zone ${data.zoneId} is not a zone of building ${pid}`);
      await tx.query(
        `insert into registry.device_slots (alias, devid, type, provider, pid, zone_id, display, conn, params, firmware_version,
           commissioned, unhealthy, requires_health_check, time_zone, created_by, updated_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)`,
        [
          alias,
          data.devid ?? null,
          data.type,
          parseDevType(data.type).provider,
          pid,
          data.zoneId,
          data.display ?? null,
          data.conn ?? null,
          data.params ?? {},
          data.firmwareVersion ?? null,
          data.commissioned ?? false,
          data.unhealthy ?? false,
          data.requiresHealthCheck ?? true,
          data.timeZone ?? building.timeZone,
          access.actor,
        ],
      );
      const [row] = await tx.query(`${SELECT} where s.alias = $1`, [alias]);
      const slot = toDeviceSlot(row);
      await outbox.directory({ kind: 'kv-put', key: alias, value: directoryEntry(slot) });
      return slot;
    });
  }

  async update(access: RegistryAccess, alias: string, input: unknown, strict = false): Promise<DeviceSlot> {
    const data = validateInput(UpdateDeviceSlotInput, input, strict);
    const current = await this.read(access, alias);
    await this.buildings.load(access, current.pid, 'write');
    return this.db.transaction(async (tx, outbox) => {
      if (data.zoneId && data.zoneId !== current.zoneId) {
        const [zone] = await tx.query('select 1 from registry.zones where ins_id = $1 and pid = $2', [
          data.zoneId,
          current.pid,
        ]);
        if (!zone) {
          throw new RegistryError('INVALID', `zone ${data.zoneId} is not a zone of building ${current.pid}`);
        }
      }
      await tx.query(
        `update registry.device_slots set zone_id = $2, devid = $3, display = $4, conn = $5, params = $6, firmware_version = $7,
           time_zone = $8, commissioned = $9, unhealthy = $10, requires_health_check = $11, updated_by = $12, updated_on = now()
         where alias = $1`,
        [
          alias,
          data.zoneId ?? current.zoneId,
          data.devid ?? current.devid,
          data.display ?? current.display,
          data.conn ?? current.conn,
          data.params ?? current.params,
          data.firmwareVersion ?? current.firmwareVersion,
          data.timeZone ?? current.timeZone,
          data.commissioned ?? current.commissioned,
          data.unhealthy ?? current.unhealthy,
          data.requiresHealthCheck ?? current.requiresHealthCheck,
          access.actor,
        ],
      );
      const [row] = await tx.query(`${SELECT} where s.alias = $1`, [alias]);
      const slot = toDeviceSlot(row);
      await outbox.directory({ kind: 'kv-put', key: alias, value: directoryEntry(slot) });
      return slot;
    });
  }

  async remove(access: RegistryAccess, alias: string): Promise<DeviceSlot> {
    const slot = await this.read(access, alias);
    await this.buildings.load(access, slot.pid, 'admin');
    await this.db.transaction(async (tx, outbox) => {
      await tx.query('delete from registry.device_slots where alias = $1', [alias]);
      await outbox.directory({ kind: 'kv-delete', key: alias });
    });
    return slot;
  }
}
