import { ActionModuleRegistry, type ForwardedActionModule } from './action-modules';
import type { ActionDefinition, LocalActionModule } from './action.types';

const op = (module: string): ActionDefinition => ({
  module,
  target: 'none',
  handle: async () => ({ data: module }),
});
const grids: LocalActionModule = {
  module: 'scgrids',
  ops: { 'scgrids.listProperties': op('scgrids'), 'scgrids.readBuilding': op('scgrids') },
};
const teams: ForwardedActionModule = {
  module: 'scworkforcemanagement',
  opPrefix: 'scteams.',
  forwardTo: 'workforce.action.call.v1',
};

describe('the actions module registry', () => {
  it('resolves a local op only under its own module', () => {
    const registry = new ActionModuleRegistry([grids], []);
    expect(registry.resolve('scgrids', 'scgrids.readBuilding')).toEqual({
      kind: 'local',
      definition: grids.ops['scgrids.readBuilding'],
    });
    expect(registry.resolve('scmetrics', 'scgrids.readBuilding')).toBeUndefined();
    expect(registry.resolve('scgrids', 'scgrids.nope')).toBeUndefined();
  });

  it('resolves every op with a forwarded module prefix to that module, and nothing else', () => {
    const registry = new ActionModuleRegistry([grids], [teams]);
    expect(registry.resolve('scworkforcemanagement', 'scteams.listTeams')).toEqual({
      kind: 'forwarded',
      module: teams,
    });
    expect(registry.resolve('scworkforcemanagement', 'scteams.')).toBeUndefined();
    expect(registry.resolve('scworkforcemanagement', 'scgrids.readBuilding')).toBeUndefined();
    expect(registry.resolve('scgrids', 'scteams.listTeams')).toBeUndefined();
    expect(registry.operations).toEqual(['scgrids.listProperties', 'scgrids.readBuilding', 'scteams.*']);
  });

  it('refuses a module declared twice, an op declared twice, or an op of another module', () => {
    expect(() => new ActionModuleRegistry([grids, grids], [])).toThrow('module scgrids is declared twice');
    expect(() => new ActionModuleRegistry([grids], [{ ...teams, module: 'scgrids' }])).toThrow(
      'declared twice',
    );
    const other = { module: 'scother', ops: { 'scgrids.readBuilding': op('scgrids') } };
    expect(() => new ActionModuleRegistry([other], [])).toThrow('declared for module scgrids');
  });
});
