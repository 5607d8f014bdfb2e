import { Injectable } from '@nestjs/common';
import { DeviceSlotsService } from './device-slots.service';
import { matrixDeviceSlot } from './matrix-shapes';
import type { DeviceSlot } from './registry.types';
import { ActionError } from '../actions/action-error';
import type { ActionDefinition, ActionResult, LocalActionModule } from '../actions/action.types';

/** The slot record of §3.3 plus the keys of the Java SDK's `Device` model (`DeviceId`, `Lid`). */
function slotRecord(slot: DeviceSlot): Record<string, unknown> {
  return { ...matrixDeviceSlot(slot), DeviceId: slot.devid ?? '', Lid: slot.lid };
}

const slots = (items: DeviceSlot[], message: string, next?: string): ActionResult => ({
  envelope: {
    Slots: items.map(slotRecord),
    code: 'SUCCESS',
    message,
    ...(next ? { LEK: Buffer.from(next, 'base64url').toString('utf8') } : {}),
  },
});

function providerType(body: Record<string, unknown>): { provider?: string; type?: string } {
  const value = body['DeviceProviderType'] ?? body['ProviderType'] ?? body['Provider'];
  if (value === undefined) {
    throw new ActionError('MISSING_PARAMETERS', 'Missing DeviceProviderType in the body');
  }
  if (typeof value !== 'string' || value === '') {
    throw new ActionError('WRONG_PARAMETERS', 'DeviceProviderType must be a string');
  }
  // `SMARTCLEAN#PPLCTR` filters by type, `SMARTCLEAN` by provider.
  return value.includes('#') ? { type: value } : { provider: value };
}

const esk = (body: Record<string, unknown>) => {
  const value = body['ESK'];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string') throw new ActionError('WRONG_PARAMETERS', 'ESK must be a string');
  return Buffer.from(value).toString('base64url');
};

/** The `scdevicemanagement` ops the SDKs call (reference §3.3, §4.8). */
export function deviceManagementActions(deviceSlots: DeviceSlotsService): Record<string, ActionDefinition> {
  return {
    'scdevicemanagement.getDeviceSlots': {
      module: 'scdevicemanagement',
      target: 'none',
      async handle({ access, body }) {
        const aliases = body['Alias'];
        if (aliases === undefined) throw new ActionError('MISSING_PARAMETERS', 'Missing Alias in the body');
        if (!Array.isArray(aliases) || !aliases.every((a) => typeof a === 'string')) {
          throw new ActionError('WRONG_PARAMETERS', 'Alias must be a list of alias ids');
        }
        return slots(
          await deviceSlots.getByAliases(access, aliases as string[]),
          'Successfully fetched given slots',
        );
      },
    },
    'scdevicemanagement.listDevicesByProviderType': {
      module: 'scdevicemanagement',
      target: 'pid',
      async handle({ access, pid, body }) {
        const page = await deviceSlots.list(access, pid, providerType(body), esk(body));
        return slots(page.items, 'Successfully fetched slots of the given provider type', page.next);
      },
    },
    'scdevicemanagement.listDevicesForProjectV2': {
      module: 'scdevicemanagement',
      target: 'pid',
      async handle({ access, pid, body }) {
        const page = await deviceSlots.list(access, pid, {}, esk(body));
        return slots(page.items, 'Successfully fetched slots of the project', page.next);
      },
    },
    'scdevicemanagement.realSenseMigrated': {
      module: 'scdevicemanagement',
      target: 'pid',
      async handle({ access, pid }) {
        await deviceSlots.list(access, pid, {}, undefined, 1); // the building must exist and be the caller's
        return { envelope: { ID: pid, Migrated: true } };
      },
    },
  };
}

/** The `scdevicemanagement` module of the actions API, served here from the registry's device slots. */
@Injectable()
export class DeviceManagementActions implements LocalActionModule {
  readonly module = 'scdevicemanagement';
  readonly ops: Record<string, ActionDefinition>;

  constructor(deviceSlots: DeviceSlotsService) {
    this.ops = deviceManagementActions(deviceSlots);
  }
}
