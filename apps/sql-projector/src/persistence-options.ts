import type { PersistenceOptions } from '@matrix/persistence';
import type { SqlProjectorConfig } from './config/sql-projector.config';
import { SQL_PROJECTOR_MIGRATIONS } from './migrations';

/** sql-projector owns the `matrix` schema (the dedicated-database tables). */
export function persistenceOptions(config: SqlProjectorConfig): PersistenceOptions {
  return {
    url: config.db.url,
    poolMax: config.db.poolMax,
    schema: 'matrix',
    migrations: SQL_PROJECTOR_MIGRATIONS,
    applicationName: config.service,
  };
}
