import type { PersistenceOptions } from '@matrix/persistence';
import type { IncidentServiceConfig } from './config/incident-service.config';
import { INCIDENT_SERVICE_MIGRATIONS } from './migrations';

/** incident-service owns the `workforce` schema (incidents, tasks and rule state). */
export function persistenceOptions(config: IncidentServiceConfig): PersistenceOptions {
  return {
    url: config.db.url,
    poolMax: config.db.poolMax,
    schema: 'workforce',
    migrations: INCIDENT_SERVICE_MIGRATIONS,
    applicationName: config.service,
  };
}
