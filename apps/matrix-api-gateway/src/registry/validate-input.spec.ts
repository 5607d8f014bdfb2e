import {
  CreateLevelInput,
  CreateZonesInput,
  UpdateBuildingInput,
  UpdateDeviceSlotInput,
  UpdateLevelInput,
} from './registry-inputs';
import { RegistryError } from './registry-error';
import { validateInput } from './validate-input';

const refusal = (run: () => unknown): string[] => {
  try {
    run();
  } catch (error) {
    if (error instanceof RegistryError) return error.details;
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('validateInput', () => {
  it('validates nested zone inputs and names each problem by path', () => {
    expect(
      refusal(() => validateInput(CreateZonesInput, { zones: [{ name: 'A', lid: 'l1' }, { lid: 7 }] })),
    ).toEqual([
      'zones.1.name: is required',
      'zones.1.lid: must be a level id',
      'zones.1.lid: must be a string',
    ]);
    expect(validateInput(CreateZonesInput, { zones: [{ name: 'A', lid: 'l1' }] }).zones[0]).toMatchObject({
      name: 'A',
      lid: 'l1',
    });
  });

  it('refuses prototype keys, deep nesting and NUL characters before anything else looks at them', () => {
    const hostile = JSON.parse('{"name": "x", "area": {"__proto__": {"polluted": true}, "constructor": 1}}');
    expect(refusal(() => validateInput(CreateLevelInput, hostile))).toEqual([
      'area.__proto__: is not an allowed field name',
      'area.constructor: is not an allowed field name',
    ]);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = { d: deep };
    expect(refusal(() => validateInput(CreateLevelInput, { name: 'x', floorPlan: deep }))[0]).toMatch(
      /nested more than 16 levels/,
    );
    expect(refusal(() => validateInput(CreateLevelInput, { name: 'a\u0000b' }))).toEqual([
      'name: must not contain NUL characters',
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('drops unknown fields, or refuses them when strict', () => {
    expect(validateInput(CreateLevelInput, { name: 'x', extra: 1 })).toEqual(
      Object.assign(new CreateLevelInput(), { name: 'x' }),
    );
    expect(refusal(() => validateInput(CreateLevelInput, { name: 'x', extra: 1 }, true))).toEqual([
      'extra: is not a known field',
    ]);
  });

  it('checks the update inputs field by field, every field optional, the fixed ones not known', () => {
    const refused = (run: () => unknown) => refusal(run).sort();
    expect(validateInput(UpdateLevelInput, {}, true)).toEqual(new UpdateLevelInput());
    expect(refused(() => validateInput(UpdateLevelInput, { name: '', area: -1 }, true))).toEqual([
      'area: must not be less than 0',
      'name: must be longer than or equal to 1 characters',
    ]);
    expect(validateInput(UpdateBuildingInput, { status: 'ACTIVE', levelsCount: 3 }, true)).toMatchObject({
      status: 'ACTIVE',
      levelsCount: 3,
    });
    const building = { levelsCount: 61, timeZone: 'Mars/Base', pid: 'p' };
    expect(refused(() => validateInput(UpdateBuildingInput, building, true))).toEqual([
      'levelsCount: must not be greater than 60',
      'pid: is not a known field',
      'timeZone: must be an IANA time zone such as Europe/Berlin',
    ]);
    expect(validateInput(UpdateDeviceSlotInput, { display: 'Soap 1' }, true)).toMatchObject({
      display: 'Soap 1',
    });
    const slot = { zoneId: 'no zone!', alias: 'a', type: 'X#Y' };
    expect(refused(() => validateInput(UpdateDeviceSlotInput, slot, true))).toEqual([
      'alias: is not a known field',
      'type: is not a known field',
      'zoneId: must be a zone id',
    ]);
  });
});
