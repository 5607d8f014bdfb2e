import { Injectable } from '@nestjs/common';
import { BuildingsService } from './buildings.service';
import { gridEvent } from './grid-events';
import type { RegistryAccess } from '../auth/registry-access';
import { newId, RegistryDb } from './registry-db';
import { notFound, RegistryError } from './registry-error';
import { CreateLevelInput, UpdateLevelInput } from './registry-inputs';
import type { Level } from './registry.types';
import { toLevel } from './rows';
import { validateInput } from './validate-input';

/** Levels of a building: at most 60 (reference §4.10). */
export const MAX_LEVELS_PER_BUILDING = 60;

@Injectable()
export class LevelsService {
  constructor(
    private readonly db: RegistryDb,
    private readonly buildings: BuildingsService,
  ) {}

  async listByBuilding(access: RegistryAccess, pid: string): Promise<Level[]> {
    await this.buildings.load(access, pid);
    const rows = await this.db.query('select * from registry.levels where pid = $1 order by level, name', [
      pid,
    ]);
    return rows.map(toLevel);
  }

  async read(access: RegistryAccess, pid: string, lid: string): Promise<Level> {
    await this.buildings.load(access, pid);
    const [row] = await this.db.query('select * from registry.levels where lid = $1 and pid = $2', [
      lid,
      pid,
    ]);
    if (!row) throw notFound('level', lid);
    return toLevel(row);
  }

  async create(access: RegistryAccess, pid: string, input: unknown, strict = false): Promise<Level> {
    const data = validateInput(CreateLevelInput, input, strict);
    const building = await this.buildings.load(access, pid, 'write');
    return this.db.transaction(async (tx, outbox) => {
      const [{ n }] = await tx.query('select count(*)::int as n from registry.levels where pid = $1', [pid]);
      if (n >= MAX_LEVELS_PER_BUILDING) {
        throw new RegistryError('LIMIT_VIOLATED', `a building has at most ${MAX_LEVELS_PER_BUILDING} levels`);
      }
      const [row] = await tx.query(
        `insert into registry.levels (lid, pid, name, level, area, floor_plan) values ($1, $2, $3, $4, $5, $6) returning *`,
        [newId(), pid, data.name, data.level ?? null, data.area ?? null, data.floorPlan ?? null],
      );
      const level = toLevel(row);
      await outbox.event(gridEvent('LEVEL_CREATED', building, { level }));
      return level;
    });
  }

  async update(
    access: RegistryAccess,
    pid: string,
    lid: string,
    input: unknown,
    strict = false,
  ): Promise<Level> {
    const data = validateInput(UpdateLevelInput, input, strict);
    const building = await this.buildings.load(access, pid, 'write');
    return this.db.transaction(async (tx, outbox) => {
      const [old] = await tx.query('select * from registry.levels where lid = $1 and pid = $2 for update', [
        lid,
        pid,
      ]);
      if (!old) throw notFound('level', lid);
      const before = toLevel(old);
      const [row] = await tx.query(
        `update registry.levels set name = $3, level = $4, area = $5, floor_plan = $6, updated_on = now()
         where lid = $1 and pid = $2 returning *`,
        [
          lid,
          pid,
          data.name ?? before.name,
          data.level ?? before.level,
          data.area ?? before.area,
          data.floorPlan ?? before.floorPlan,
        ],
      );
      const level = toLevel(row);
      if (level.name !== before.name) {
        await outbox.event(gridEvent('LEVEL_NAME_MODIFIED', building, { level }, { OldName: before.name }));
      }
      return level;
    });
  }
}
