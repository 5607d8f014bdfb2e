import { Injectable } from '@nestjs/common';
import { DEV_TYPE_PATTERN } from '@matrix/contracts';
import { BuildingsService } from './buildings.service';
import { DeviceSlotsService, SLOT_PAGE, type SlotFilter } from './device-slots.service';
import { matrixDeviceSlot } from './matrix-shapes';
import type { RegistryAccess } from '../auth/registry-access';
import type { DeviceSlot } from './registry.types';
import { ActionError } from '../actions/action-error';
import type { ActionDefinition, ActionResult, LocalActionModule } from '../actions/action.types';
import { CaselessBody } from '../actions/caseless-body';

/** The slot record of §3.3 plus the keys of the Java SDK's `Device` model (`DeviceId`, `Lid`). */
function slotRecord(slot: DeviceSlot): Record<string, unknown> {
  return { ...matrixDeviceSlot(slot), DeviceId: slot.devid ?? '', Lid: slot.lid };
}

// The module's one documented envelope (reference §4.1, §3.3), message included, for every slot op: an
// SDK that checks `code`/`message` sees what it was written against.
const slots = (items: DeviceSlot[]): ActionResult => ({
  envelope: { Slots: items.map(slotRecord), code: 'SUCCESS', message: 'Successfully fetched given slots' },
});

const PROVIDER = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * `DeviceProviderType` (the Java SDK's one request field): a provider (`SMARTCLEAN`) selects its slots, a
 * slot type (`SMARTCLEAN#PPLCTR`, the `<Provider>#<Type>` naming of §3.3) the slots of that type.
 */
function providerType(body: CaselessBody): SlotFilter {
  const value = body.text('DeviceProviderType', true);
  if (PROVIDER.test(value)) return { provider: value };
  if (value.length <= 200 && DEV_TYPE_PATTERN.test(value)) {
    return { type: value };
  }
  throw new ActionError(
    'WRONG_PARAMETERS',
    'DeviceProviderType: must be a provider (SMARTCLEAN) or a slot type (SMARTCLEAN#PPLCTR)',
  );
}

/**
 * Every slot of the building that passes the filter. The SDK methods are `listAllDevicesForProjectV2` and
 * `listAllDevicesByProviderType` and no paging is documented, so one answer holds them all; the registry
 * is read in its largest pages.
 */
async function allSlots(
  deviceSlots: DeviceSlotsService,
  access: RegistryAccess,
  pid: string,
  filter: SlotFilter,
): Promise<DeviceSlot[]> {
  const items: DeviceSlot[] = [];
  let cursor: string | undefined;
  do {
    const page = await deviceSlots.list(access, pid, filter, cursor, SLOT_PAGE.max);
    items.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return items;
}

/** The `scdevicemanagement` ops the SDKs call (reference §3.3, §4.8). */
export function deviceManagementActions(
  deviceSlots: DeviceSlotsService,
  buildings: BuildingsService,
): Record<string, ActionDefinition> {
  return {
    'scdevicemanagement.getDeviceSlots': {
      module: 'scdevicemanagement',
      target: 'none',
      async handle({ access, body }) {
        const aliases = new CaselessBody(body).get('Alias');
        if (aliases === undefined) throw new ActionError('MISSING_PARAMETERS', 'Missing Alias in the body');
        if (!Array.isArray(aliases) || !aliases.every((a) => typeof a === 'string')) {
          throw new ActionError('WRONG_PARAMETERS', 'Alias must be a list of alias ids');
        }
        return slots(await deviceSlots.getByAliases(access, aliases as string[]));
      },
    },
    'scdevicemanagement.listDevicesByProviderType': {
      module: 'scdevicemanagement',
      target: 'pid',
      async handle({ access, pid, body }) {
        const filter = providerType(new CaselessBody(body));
        return slots(await allSlots(deviceSlots, access, pid, filter));
      },
    },
    'scdevicemanagement.listDevicesForProjectV2': {
      module: 'scdevicemanagement',
      target: 'pid',
      // No arguments: `null` (Python SDK) or a request object whose fields are unset.
      async handle({ access, pid }) {
        return slots(await allSlots(deviceSlots, access, pid, {}));
      },
    },
    'scdevicemanagement.realSenseMigrated': {
      module: 'scdevicemanagement',
      target: 'pid',
      // The reference gives only the shape (`{"ID": "<pid>", "Migrated": false}` from SDK test data).
      // "Migrated" tells a client whether the building's devices are RealSense device slots, read with
      // this module and sending data in the RealSense format (§3). Here every building's devices are
      // exactly that (there is no older platform to migrate from), so the answer is always true.
      async handle({ access, pid }) {
        const building = await buildings.load(access, pid);
        return { envelope: { ID: building.pid, Migrated: true } };
      },
    },
  };
}

/** The `scdevicemanagement` module of the actions API, served here from the registry's device slots. */
@Injectable()
export class DeviceManagementActions implements LocalActionModule {
  readonly module = 'scdevicemanagement';
  readonly ops: Record<string, ActionDefinition>;

  constructor(deviceSlots: DeviceSlotsService, buildings: BuildingsService) {
    this.ops = deviceManagementActions(deviceSlots, buildings);
  }
}
