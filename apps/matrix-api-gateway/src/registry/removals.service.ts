import { Injectable } from '@nestjs/common';
import type { Transaction } from '@matrix/persistence';
import type { Outbox } from '../outbox/outbox';
import { BuildingsService } from './buildings.service';
import type { RegistryAccess } from '../auth/registry-access';
import { RegistryDb } from './registry-db';
import { notFound } from './registry-error';
import type { Building, Level } from './registry.types';
import { toLevel } from './rows';
import { removeZone } from './zones.service';

/** Removes a feature's rows of building `pid` inside the removal's transaction, with their outbox rows. */
export type BuildingRemovalStep = (tx: Transaction, outbox: Outbox, pid: string) => Promise<void>;

/**
 * Removing a level or a whole building (admin). Their zones go one by one through `removeZone`, so every
 * zone yields its documented ZONE_REMOVED event and its device slots leave the DEVICE_SLOTS directory, all in
 * the one transaction. (The Matrix event list has no LEVEL or BUILDING removal event.) Features that keep
 * rows of a building register a step with {@link onRemoveBuilding} (ingest keys: they leave the
 * INGEST_KEYS bucket), run in the same transaction before the building row goes.
 */
@Injectable()
export class RemovalsService {
  private readonly buildingSteps: BuildingRemovalStep[] = [];

  constructor(
    private readonly db: RegistryDb,
    private readonly buildings: BuildingsService,
  ) {}

  /** Registers what else goes with a building (called by the feature that owns those rows, at boot). */
  onRemoveBuilding(step: BuildingRemovalStep): void {
    this.buildingSteps.push(step);
  }

  async removeLevel(access: RegistryAccess, pid: string, lid: string): Promise<Level> {
    const building = await this.buildings.load(access, pid, 'admin');
    return this.db.transaction(async (tx, outbox) => {
      const [row] = await tx.query('select * from registry.levels where lid = $1 and pid = $2 for update', [
        lid,
        pid,
      ]);
      if (!row) throw notFound('level', lid);
      const zones = await tx.query<{ ins_id: string }>(
        'select ins_id from registry.zones where lid = $1 order by ins_id',
        [lid],
      );
      for (const { ins_id } of zones) await removeZone(tx, outbox, building, ins_id);
      await tx.query('delete from registry.levels where lid = $1', [lid]);
      return toLevel(row);
    });
  }

  async removeBuilding(access: RegistryAccess, pid: string): Promise<Building> {
    const building = await this.buildings.load(access, pid, 'admin');
    return this.db.transaction(async (tx, outbox) => {
      await tx.query('select 1 from registry.buildings where pid = $1 for update', [pid]);
      const zones = await tx.query<{ ins_id: string }>(
        'select ins_id from registry.zones where pid = $1 order by ins_id',
        [pid],
      );
      for (const { ins_id } of zones) await removeZone(tx, outbox, building, ins_id);
      for (const step of this.buildingSteps) await step(tx, outbox, pid);
      await tx.query('delete from registry.buildings where pid = $1', [pid]);
      return building;
    });
  }
}
