import { refusalOf } from '@matrix/testing';
import { matrixSettings, settingChanges, settingValue, type SettingDefinition } from './setting-values';

const LONG: SettingDefinition = { type: 'Long', value: 1800, unit: 'seconds', description: 'd' };
const BOUNDED: SettingDefinition = { ...LONG, min: 1, max: 86_400 };
const FLAG: SettingDefinition = { type: 'Boolean', value: true, description: 'f' };

describe('settings: values and the documented answer shape', () => {
  it.each([
    [LONG, { LongValue: 0 }, 0],
    [LONG, { longvalue: 600, TYPE: 'Long' }, 600],
    [FLAG, { BooleanValue: false, Type: 'Boolean', Description: 'ignored' }, false],
    [BOUNDED, { LongValue: 86_400 }, 86_400],
  ])('reads %j %j', (system, setting, expected) => {
    expect(settingValue(setting, system, 'S.S.K')).toBe(expected);
  });

  it.each([
    [LONG, { LongValue: -1 }, 'WRONG_PARAMETERS S.S.K.LongValue: must be a non-negative integer'],
    [LONG, { LongValue: '60' }, 'WRONG_PARAMETERS S.S.K.LongValue: must be a non-negative integer'],
    [LONG, { LongValue: 1.5 }, 'WRONG_PARAMETERS S.S.K.LongValue: must be a non-negative integer'],
    [LONG, {}, 'WRONG_PARAMETERS S.S.K.LongValue: must be a non-negative integer'],
    [BOUNDED, { LongValue: 0 }, 'WRONG_PARAMETERS S.S.K.LongValue: must be a whole number from 1 to 86400'],
    [
      BOUNDED,
      { LongValue: 86_401 },
      'WRONG_PARAMETERS S.S.K.LongValue: must be a whole number from 1 to 86400',
    ],
    [FLAG, { BooleanValue: 'true' }, 'WRONG_PARAMETERS S.S.K.BooleanValue: must be true or false'],
    [FLAG, { BooleanValue: true, Type: 'Long' }, 'WRONG_PARAMETERS S.S.K.Type: must be Boolean'],
  ])('refuses %j %j naming the field', (system, setting, expected) => {
    expect(refusalOf(() => settingValue(setting, system, 'S.S.K'))).toBe(expected);
  });

  it('leaves the value to the caller when optional and none is sent, but still checks a Type sent', () => {
    expect(settingValue({}, LONG, 'S.S.K', true)).toBeUndefined();
    expect(refusalOf(() => settingValue({ Type: 'Boolean' }, LONG, 'S.S.K', true))).toBe(
      'WRONG_PARAMETERS S.S.K.Type: must be Long',
    );
  });

  it('reads every change of a body against the known keys, refusing the first unknown one', () => {
    const system = { A: LONG, B: FLAG };
    expect(
      settingChanges({ A: { LongValue: 5 }, B: { BooleanValue: false } }, system, 'S.S', 'a setting'),
    ).toEqual({
      A: 5,
      B: false,
    });
    expect(refusalOf(() => settingChanges({ A: { LongValue: 5 }, C: {} }, system, 'S.S', 'a setting'))).toBe(
      'WRONG_PARAMETERS S.S.C: is not a setting',
    );
    expect(refusalOf(() => settingChanges({ A: 5 }, system, 'S.S', 'a setting'))).toBe(
      'WRONG_PARAMETERS S.S.A: must be an object',
    );
  });

  it('answers settings as {Type, LongValue|BooleanValue, Unit?, Description, LastModifiedOn?}', () => {
    expect(matrixSettings({ A: { ...LONG, modifiedOn: 1700000000 }, B: FLAG })).toEqual({
      A: { Type: 'Long', LongValue: 1800, Unit: 'seconds', Description: 'd', LastModifiedOn: 1700000000 },
      B: { Type: 'Boolean', BooleanValue: true, Description: 'f' },
    });
  });
});
