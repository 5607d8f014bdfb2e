import type { PersistenceOptions } from '@matrix/persistence';
import type { MatrixApiGatewayConfig } from './config/matrix-api-gateway.config';
import { MATRIX_API_GATEWAY_MIGRATIONS } from './migrations';

/** matrix-api-gateway owns the `registry` schema (site registry and API credentials). */
export function persistenceOptions(
  config: Pick<MatrixApiGatewayConfig, 'service' | 'db'>,
): PersistenceOptions {
  return {
    url: config.db.url,
    poolMax: config.db.poolMax,
    schema: 'registry',
    migrations: MATRIX_API_GATEWAY_MIGRATIONS,
    applicationName: config.service,
  };
}
