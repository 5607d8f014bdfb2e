import { basicAuth, MatrixClient } from '@matrix/sdk';
import type { BootstrappedTenant, Platform } from './platform-process';

/** A bootstrapped tenant, the SDK client of its admin key, and one building with one level, made through it. */
export interface SdkTenant {
  readonly tenant: BootstrappedTenant;
  readonly client: MatrixClient;
  readonly pid: string;
  readonly lid: string;
}

/**
 * Bootstraps an organisation and property, and makes a building (no levels of its own) with a level "Ground"
 * over REST v1 through the SDK, as an integrator would.
 */
export async function sdkTenantWithBuilding(
  platform: Platform,
  names: { org: string; property: string; building: string },
  timeZone: string,
): Promise<SdkTenant> {
  const tenant = await platform.bootstrapTenant(names.org, names.property, timeZone);
  const client = new MatrixClient({
    baseUrl: platform.service('matrix-api-gateway').url,
    auth: basicAuth(tenant),
    actions: { org: tenant.org, propid: tenant.propid },
  });
  const { data: building } = await client.rest.POST('/v1/properties/{propId}/buildings', {
    params: { path: { propId: tenant.propid } },
    body: { name: names.building, levelsCount: 0, timeZone },
  });
  const pid = (building as { pid: string }).pid;
  const { data: level } = await client.rest.POST('/v1/buildings/{pid}/levels', {
    params: { path: { pid } },
    body: { name: 'Ground' },
  });
  return { tenant, client, pid, lid: (level as { lid: string }).lid };
}
