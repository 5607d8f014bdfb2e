import { camelBody, pascalPath, toCamelKey, toPascalKey } from './matrix-keys';

describe('Matrix key casing', () => {
  it('maps documented PascalCase keys to the registry inputs and back', () => {
    expect(
      ['Name', 'LevelsCount', 'PID', 'LID', 'InsID', 'ZoneCategoryID', 'BeaconID', 'TypeID', 'TZ'].map(
        toCamelKey,
      ),
    ).toEqual([
      'name',
      'levelsCount',
      'pid',
      'lid',
      'insId',
      'zoneCategoryId',
      'beaconId',
      'typeId',
      'timeZone',
    ]);
    expect(['levelsCount', 'insId', 'zoneCategoryId', 'lid'].map(toPascalKey)).toEqual([
      'LevelsCount',
      'InsID',
      'ZoneCategoryID',
      'LID',
    ]);
  });

  it('renames top-level keys only and drops the ones asked', () => {
    const hours = { '0': [{ Start: '0800', End: '1800' }] };
    expect(camelBody({ Name: 'B', OperatingHours: hours, PropID: 'p' }, ['PropID'])).toEqual({
      name: 'B',
      operatingHours: hours,
    });
  });

  it('names validation paths the way the caller spelled them', () => {
    expect(pascalPath('levelsCount: must not be greater than 60')).toBe(
      'LevelsCount: must not be greater than 60',
    );
    expect(pascalPath('zones.0.lid: is required')).toBe('Zone.0.LID: is required');
  });

  it('names prototype keys as they are (a lookup table is no source of names for them)', () => {
    expect(pascalPath('Tags.constructor: is not an allowed field name')).toBe(
      'Tags.constructor: is not an allowed field name',
    );
    expect(toCamelKey('constructor')).toBe('constructor');
    expect(toPascalKey('__proto__')).toBe('__proto__');
    expect(toPascalKey('toString')).toBe('ToString');
  });
});
