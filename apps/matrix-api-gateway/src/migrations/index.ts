import { CreateRegistrySchema1764115200001 } from './1764115200001-create-registry-schema';

/** matrix-api-gateway's migrations, in order. */
export const MATRIX_API_GATEWAY_MIGRATIONS = [CreateRegistrySchema1764115200001];
