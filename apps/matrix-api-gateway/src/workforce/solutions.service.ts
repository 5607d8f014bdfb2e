import { Injectable } from '@nestjs/common';
import { DomainError } from '../domain-error';
import { RegistryError } from '../registry/registry-error';
import { isObject, Problems } from './inputs';
import { WorkforceClient, type WorkforceCaller, type WorkforceTarget } from './workforce-client';

type Matrix = Record<string, unknown>;

const GET = 'scteams.getSolutionSettings';
const UPDATE = 'scteams.updateSolutionSettings';

/** `PeopleThreshold` as REST names it: `peopleThreshold`. */
const camel = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

/** A slot type's settings as answered by the op, in REST's camelCase (values as they are). */
export function solutionView(m: Matrix) {
  const params = (m['Params'] as Matrix) ?? {};
  return {
    slotType: m['SlotType'] as string,
    rules: (m['Rules'] as string[]) ?? [],
    params: Object.fromEntries(Object.entries(params).map(([name, value]) => [camel(name), value])),
    customised: ((m['Customised'] as string[]) ?? []).map(camel),
  };
}

/**
 * A PATCH body as the op's `Params`: each REST name (`peopleThreshold`, exactly) of one of the slot type's
 * parameters (`names`, as the op answers them) becomes the op's name; any other key is a 400 naming it and
 * the names the slot type takes. Values are checked by incident-service, which owns their bounds.
 */
export function paramsChange(slotType: string, names: readonly string[], body: unknown): Matrix {
  const problems = new Problems();
  const byRestName = new Map(names.map((name) => [camel(name), name]));
  const change: Matrix = {};
  if (!isObject(body)) {
    problems.add('body: must be a JSON object');
  } else if (Object.keys(body).length === 0) {
    problems.add(`body: must change at least one of ${[...byRestName.keys()].join(', ')}`);
  } else {
    for (const [key, value] of Object.entries(body)) {
      const name = byRestName.get(key);
      if (name === undefined) {
        problems.add(
          `${key}: is not a parameter of ${slotType} (one of ${[...byRestName.keys()].join(', ')})`,
        );
      } else {
        change[name] = value;
      }
    }
  }
  problems.throwIfAny('solution settings change');
  return change;
}

/** The op's refusal of `Params.PeopleThreshold: …; Params.Enabled: …` as REST names the fields, one per problem. */
function renamed(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.code !== 'INVALID') return error;
  const problems = error.message
    .split('; ')
    .map((problem) => problem.replace(/\bParams\.([A-Za-z]\w*)/g, (_, name: string) => camel(name)));
  return new RegistryError('INVALID', 'the solution settings change is not valid', problems);
}

/**
 * REST v1 `/v1/buildings/{pid}/solutions…`: the settings of the building's solutions (the rules that raise
 * incidents from sensor data, docs/solutions.md) per watched slot type, through the two ops of ours that own
 * them — `scteams.getSolutionSettings` and `scteams.updateSolutionSettings` (admin), not in the Matrix
 * documentation — sent by {@link WorkforceClient}, so REST and the actions API change the same settings.
 */
@Injectable()
export class SolutionsService {
  constructor(private readonly workforce: WorkforceClient) {}

  /**
   * The op's settings of one slot type (named with or without its provider, any case); a slot type no
   * solution watches is 404 — the op refuses it as a wrong parameter, which a path segment is not.
   */
  private async one(
    caller: WorkforceCaller,
    target: WorkforceTarget,
    slotType: string,
    op: string,
    args: Matrix,
  ): Promise<Matrix> {
    try {
      const data = (await this.workforce.op(caller, target, op, { SlotType: slotType, ...args })) as Matrix;
      return (data['Solutions'] as Matrix[])[0]!;
    } catch (error) {
      if (error instanceof DomainError && error.code === 'INVALID' && error.message.startsWith('SlotType:')) {
        const why = error.message.slice('SlotType:'.length).trim();
        throw new RegistryError('NOT_FOUND', `solution ${slotType} not found: ${why}`);
      }
      throw renamed(error);
    }
  }

  /** Every watched slot type's settings, in slot-type order. */
  async list(caller: WorkforceCaller, pid: string) {
    const target = await this.workforce.building(caller, pid, 'read');
    const data = (await this.workforce.op(caller, target, GET, {})) as Matrix;
    return { items: (data['Solutions'] as Matrix[]).map(solutionView) };
  }

  async get(caller: WorkforceCaller, pid: string, slotType: string) {
    const target = await this.workforce.building(caller, pid, 'read');
    return solutionView(await this.one(caller, target, slotType, GET, {}));
  }

  /** The parameters named changed (admin); the others keep their value. Answers the slot type's settings. */
  async update(caller: WorkforceCaller, pid: string, slotType: string, body: unknown) {
    // A body that is no JSON object is refused before anything is read.
    if (!isObject(body)) paramsChange(slotType, [], body);
    const target = await this.workforce.building(caller, pid, 'admin');
    // The slot type's parameter names, to accept exactly their REST names (the op takes any case).
    const current = await this.one(caller, target, slotType, GET, {});
    const names = Object.keys((current['Params'] as Matrix) ?? {});
    const params = paramsChange(current['SlotType'] as string, names, body);
    return solutionView(
      await this.one(caller, target, current['SlotType'] as string, UPDATE, { Params: params }),
    );
  }

  /** Every parameter of the slot type back to its default (admin); also when none was changed. */
  async reset(caller: WorkforceCaller, pid: string, slotType: string): Promise<void> {
    const target = await this.workforce.building(caller, pid, 'admin');
    await this.one(caller, target, slotType, UPDATE, { Reset: true });
  }
}
