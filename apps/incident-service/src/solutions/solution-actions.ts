import { Injectable } from '@nestjs/common';
import type { ActionCommandV1, ActionCommandReplyV1 } from '@matrix/contracts';
import { CommandError } from '@matrix/messaging';
import { field, object, optionalFlag, optionalText, text } from '../ops/args';
import { allow, building, type OpGroup, type OpTable } from '../ops/op-table';
import {
  DEFAULT_SOLUTION_PARAMS,
  effectiveParams,
  paramsOfSlotType,
  pick,
  RULES_OF_SLOT_TYPE,
  validateParamsChange,
  WATCHED_SLOT_TYPES,
  type SolutionParams,
} from './solution-params';
import { SolutionsRepository } from './solutions.repository';

/** A slot type named with or without its provider (`SMARTCLEAN#PPLCTR` or `PPLCTR`), any case. */
function slotTypeOf(raw: string, path: string): string {
  const bare = (raw.includes('#') ? raw.slice(raw.indexOf('#') + 1) : raw).toUpperCase();
  if (!RULES_OF_SLOT_TYPE[bare]) {
    throw new CommandError(
      'WRONG_PARAMETERS',
      `${path}: ${raw} is not a slot type a solution watches (one of ${WATCHED_SLOT_TYPES.join(', ')})`,
    );
  }
  return bare;
}

/**
 * The settings of the solutions of a building (docs/solutions.md), per slot type — ops of ours, not of
 * the Matrix documentation (which leaves solution settings to its web app), served on REST v1 as
 * `/v1/buildings/{pid}/solutions`: `scteams.getSolutionSettings` (`SlotType` optional: all watched types)
 * and `scteams.updateSolutionSettings` (`SlotType`, `Params` to change, or `Reset: true` for the defaults;
 * admin).
 */
@Injectable()
export class SolutionActions implements OpGroup {
  readonly ops: OpTable = {
    'scteams.getSolutionSettings': (c) => this.get(c),
    'scteams.updateSolutionSettings': (c, now) => this.update(c, now),
  };

  constructor(private readonly repository: SolutionsRepository) {}

  private async get(command: ActionCommandV1): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    const named = optionalText(command.args, 'SlotType');
    const types = named !== undefined ? [slotTypeOf(named, 'SlotType')] : WATCHED_SLOT_TYPES;
    const stored = (await this.repository.settingsOf([pid])).get(pid);
    return { data: { Solutions: types.map((t) => view(t, stored?.get(t))) } };
  }

  private async update(command: ActionCommandV1, now: Date): Promise<ActionCommandReplyV1> {
    const { pid } = building(command);
    allow(command, 'admin');
    const slotType = slotTypeOf(text(command.args, 'SlotType'), 'SlotType');
    const reset = optionalFlag(command.args, 'Reset');
    if (reset && field(command.args, 'Params') !== undefined) {
      throw new CommandError('WRONG_PARAMETERS', 'Reset: give either Reset or Params, not both');
    }
    let change: Partial<SolutionParams> | null = null;
    if (!reset) {
      if (field(command.args, 'Params') === undefined) {
        throw new CommandError('MISSING_PARAMETERS', 'Params: is required (or Reset: true)');
      }
      const checked = validateParamsChange(slotType, object(command.args, 'Params'));
      if (!checked.ok) {
        throw new CommandError('WRONG_PARAMETERS', checked.errors.map((e) => `Params.${e}`).join('; '));
      }
      change = checked.change;
    }
    await this.repository.changeSettings(
      pid,
      slotType,
      // Only what differs from the defaults is stored, so a later change of a default reaches it.
      (before) =>
        change === null
          ? null
          : Object.fromEntries(
              Object.entries(pick({ ...before, ...change }, paramsOfSlotType(slotType))).filter(
                ([k, v]) => DEFAULT_SOLUTION_PARAMS[k as keyof SolutionParams] !== v,
              ),
            ),
      command.caller.accessKey,
      now,
    );
    const after = (await this.repository.settingsOf([pid])).get(pid)?.get(slotType);
    return { message: 'Solution settings updated', data: { Solutions: [view(slotType, after)] } };
  }
}

/** A slot type's settings as answered: its rules, its parameters, which of them are the building's own. */
function view(slotType: string, stored: Record<string, unknown> | undefined) {
  const params = effectiveParams(slotType, stored);
  return {
    SlotType: slotType,
    Rules: RULES_OF_SLOT_TYPE[slotType],
    Params: pick(params, paramsOfSlotType(slotType)),
    Customised: Object.keys(stored ?? {}).sort(),
  };
}
