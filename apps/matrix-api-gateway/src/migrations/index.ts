import { CreateRegistrySchema1764115200001 } from './1764115200001-create-registry-schema';
import { CreateRegistryTables1764200000000 } from './1764200000000-create-registry-tables';
import { ZoneMapVersion1764300000000 } from './1764300000000-zone-map-version';
import { ZoneMapVersionOnce1764300000001 } from './1764300000001-zone-map-version-once';
import { CreateIngestKeys1764400000000 } from './1764400000000-create-ingest-keys';
import { PrincipalsDirectory1764547200001 } from './1764547200001-principals-directory';
import { ZoneMapVersionCategory1764600000000 } from './1764600000000-zone-map-version-category';
import { GridsCatalogue1766600000000 } from './1766600000000-grids-catalogue';
import { Media1766600002000 } from './1766600002000-media';
import { PropertyTypeIdCheck1766600003000 } from './1766600003000-property-type-id-check';
import { RateLimitBuckets1766600004000 } from './1766600004000-rate-limit-buckets';

/** matrix-api-gateway's migrations, in order. */
export const MATRIX_API_GATEWAY_MIGRATIONS = [
  CreateRegistrySchema1764115200001,
  CreateRegistryTables1764200000000,
  ZoneMapVersion1764300000000,
  ZoneMapVersionOnce1764300000001,
  CreateIngestKeys1764400000000,
  PrincipalsDirectory1764547200001,
  ZoneMapVersionCategory1764600000000,
  GridsCatalogue1766600000000,
  Media1766600002000,
  PropertyTypeIdCheck1766600003000,
  RateLimitBuckets1766600004000,
];
