import { Injectable } from '@nestjs/common';
import { BuildingsService } from '../registry/buildings.service';
import { DeviceSlotsService } from '../registry/device-slots.service';
import { LevelsService } from '../registry/levels.service';
import { PropertiesService } from '../registry/properties.service';
import type { RegistryAccess } from '../registry/registry-access';
import { notFound } from '../registry/registry-error';
import { ZonesService } from '../registry/zones.service';
import { SensorDataQueryService } from '../sensor-data/sensor-data-query.service';
import { ActionError } from './action-error';
import { actionArguments } from './action-arguments';
import type { JsonBytes } from '../json-bytes';
import { NO_PID, type ActionDefinition, type ActionResult } from './action.types';
import { deviceManagementActions } from './device-management.actions';
import { gridsActions } from './grids.actions';
import { metricsActions } from './metrics.actions';

/** An op's answer: a body to serialise, or bytes already serialised (always status 200). */
export type ActionAnswer =
  { status: number; body: Record<string, unknown> } | { status: 200; json: JsonBytes };

export interface ActionCall {
  module: string;
  query: Record<string, unknown>;
  body: unknown;
  access: RegistryAccess;
}

/** Envelopes per module (reference §4.1). */
function envelope(module: string, result: ActionResult): { status: number; body: Record<string, unknown> } {
  const status = result.status ?? 200;
  if (result.envelope) return { status, body: result.envelope };
  if (module === 'scgrids') {
    return {
      status,
      body: { status, message: result.message ?? 'Success', data: result.data, ...result.extra },
    };
  }
  return {
    status,
    body: { code: 'SUCCESS', message: result.message ?? 'Success', data: result.data, ...result.extra },
  };
}

const queryText = (query: Record<string, unknown>, key: string): string | undefined => {
  const value = query[key];
  if (Array.isArray(value)) throw new ActionError('WRONG_PARAMETERS', `${key} is given more than once`);
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** Dispatches `POST /prod/v2/<module>/<version>/actions?op=&org=&pid=&propid=` to the op's handler. */
@Injectable()
export class ActionsService {
  private readonly ops: Record<string, ActionDefinition>;

  constructor(
    properties: PropertiesService,
    buildings: BuildingsService,
    levels: LevelsService,
    zones: ZonesService,
    deviceSlots: DeviceSlotsService,
    sensorData: SensorDataQueryService,
  ) {
    this.ops = {
      ...gridsActions({ properties, buildings, levels, zones }),
      ...deviceManagementActions(deviceSlots),
      ...metricsActions(sensorData),
    };
  }

  /** Every op this gateway serves, by name. */
  get operations(): string[] {
    return Object.keys(this.ops).sort();
  }

  async call({ module, query, body, access }: ActionCall): Promise<ActionAnswer> {
    const op = queryText(query, 'op');
    const org = queryText(query, 'org');
    const pid = queryText(query, 'pid');
    const missing = [!op && 'op', !org && 'org', !pid && 'pid'].filter(Boolean);
    if (missing.length > 0) {
      throw new ActionError('MISSING_PARAMETERS', `Missing ${missing.join(', ')} in the query string`);
    }
    const definition = this.ops[op!];
    if (!definition || definition.module !== module) {
      throw new ActionError(
        'UNKNOWN_OPERATION',
        `${op} is not an operation of module ${module}; see GET /prod/v2/operations`,
      );
    }
    if (org !== access.orgId) throw notFound('organisation', org!);
    if (definition.target === 'pid' && pid === NO_PID) {
      throw new ActionError('MISSING_PARAMETERS', `${op} needs the building id in pid`);
    }
    const propid = queryText(query, 'propid');
    if (definition.target === 'propid' && !propid && !access.propId) {
      throw new ActionError('MISSING_PARAMETERS', `${op} needs propid`);
    }
    const args = actionArguments(body);
    const result = await definition.handle({
      op: op!,
      module,
      org: org!,
      pid: pid!,
      propid,
      body: args,
      access,
    });
    if ('serialised' in result) {
      return { status: 200, json: await result.serialised((r) => envelope(module, r).body) };
    }
    return envelope(module, result);
  }
}
