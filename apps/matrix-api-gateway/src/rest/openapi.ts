/* The REST v1 contract. `openapi.spec.ts` fails when this drifts from the routes Nest serves or from the
 * checked-in apps/matrix-api-gateway/openapi.json (regenerate with UPDATE_DOCS=1). */

import { SUBSCRIPTION_PATHS, SUBSCRIPTION_SCHEMAS } from '../subscriptions/subscriptions.openapi';

type Schema = Record<string, unknown>;
const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str = (description?: string, extra: Schema = {}): Schema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
const nullable = (schema: Schema): Schema => ({ anyOf: [schema, { type: 'null' }] });
const obj = (properties: Record<string, Schema>, required: string[] = []): Schema => ({
  type: 'object',
  properties,
  required,
});
const hours = ref('OperatingHours');
const time = str('ISO 8601', { format: 'date-time' });
const list = (item: string): Schema =>
  obj(
    {
      items: { type: 'array', items: ref(item) },
      nextCursor: nullable(str('pass as `cursor` for the next page')),
    },
    ['items', 'nextCursor'],
  );

const problems = {
  '400': { $ref: '#/components/responses/Problem' },
  '401': { $ref: '#/components/responses/Problem' },
  '404': { $ref: '#/components/responses/Problem' },
  '429': { $ref: '#/components/responses/Problem' },
};
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const pathParam = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description,
});
const queryParam = (name: string, description: string, schema: Schema = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  schema,
  description,
});
const paging = [
  queryParam('cursor', 'from the previous page'),
  queryParam('limit', 'page size', { type: 'integer', minimum: 1 }),
];
const idempotency = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 255 },
  description: 'retry-safe POST',
};

function op(
  summary: string,
  responses: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { summary, responses: { ...responses, ...problems }, ...extra };
}
const ok = (schema: Schema) => ({ '200': { description: 'OK', ...json(schema) } });
const created = (schema: Schema) => ({ '201': { description: 'Created', ...json(schema) } });
const body = (name: string) => ({ requestBody: { required: true, ...json(ref(name)) } });

const pid = pathParam('pid', 'building (project) id');
const propId = pathParam('propId', 'property id');
const lid = pathParam('lid', 'level id');
const insId = pathParam('insId', 'zone (installation) id');
const alias = pathParam('alias', 'device slot alias id (DEVID in sensor data)');
const ingestKeyId = pathParam('id', 'ingest key id (12 characters; the part between `mik_` and the secret)');

const requiredQuery = (name: string, description: string, schema: Schema = { type: 'string' }) => ({
  ...queryParam(name, description, schema),
  required: true,
});
const sensorDataFilter = [
  requiredQuery('pid', 'building id'),
  requiredQuery('from', 'ISO 8601 with an offset, inclusive (e.g. 2026-03-29T00:00:00+01:00)', {
    type: 'string',
    format: 'date-time',
  }),
  requiredQuery('to', 'ISO 8601 with an offset, exclusive; at most 366 days after from', {
    type: 'string',
    format: 'date-time',
  }),
  queryParam('zone', 'zone (InsID); repeat for several (≤ 100)'),
  queryParam('device', 'device slot alias (DEVID); repeat for several (≤ 100)'),
  queryParam('type', 'SMARTCLEAN#PPLCTR (exact), or a slot type such as PPLCTR of any provider'),
];
const sensorDataPaging = [
  queryParam('cursor', 'from the previous page'),
  queryParam('limit', 'page size (default 1,000)', { type: 'integer', minimum: 1, maximum: 5000 }),
];

export const OPENAPI_DOCUMENT = {
  openapi: '3.1.0',
  info: {
    title: 'Matrix REST API',
    version: '1.0.0',
    description:
      'The site registry and past sensor data of the Matrix platform. Authenticate with SC-HMAC v1 or Basic (docs/authentication.md). ' +
      'Errors are RFC 9457 problem+json. The Matrix actions API (`POST /prod/v2/<module>/v1/actions?op=…`) serves the same data in the documented Matrix shapes.',
  },
  servers: [{ url: '/' }],
  security: [{ scHmac: [] }, { basic: [] }],
  paths: {
    '/v1/properties': {
      get: op('Properties the credential can see', ok(list('Property'))),
      post: op('Create a property (organisation-wide admin)', created(ref('Property')), {
        ...body('CreatePropertyInput'),
        parameters: [idempotency],
      }),
    },
    '/v1/properties/{propId}': { get: op('Read a property', ok(ref('Property')), { parameters: [propId] }) },
    '/v1/properties/{propId}/buildings': {
      get: op('Buildings of a property', ok(list('Building')), { parameters: [propId] }),
      post: op('Create a building', created(ref('Building')), {
        ...body('CreateBuildingInput'),
        parameters: [propId, idempotency],
      }),
    },
    '/v1/buildings/{pid}/ingest-keys': {
      get: op('Ingest keys of the building (admin); never the secrets', ok(list('IngestKey')), {
        parameters: [
          pid,
          queryParam('includeRevoked', 'also revoked keys (default false)', { type: 'boolean' }),
          queryParam('cursor', 'from the previous page'),
          queryParam('limit', 'page size (default 100)', { type: 'integer', minimum: 1, maximum: 1000 }),
        ],
      }),
      post: op(
        'Issue an ingest key for push-ingress (admin). The whole key is in this answer only (a replay by Idempotency-Key answers without it)',
        created(ref('IssuedIngestKey')),
        { ...body('CreateIngestKeyInput'), parameters: [pid, idempotency] },
      ),
    },
    '/v1/buildings/{pid}/ingest-keys/{id}': {
      delete: op(
        'Revoke an ingest key (admin); push-ingress refuses it within seconds. Revoking a revoked key changes nothing',
        { '204': { description: 'Revoked' } },
        { parameters: [pid, ingestKeyId] },
      ),
    },
    '/v1/buildings/{pid}': {
      get: op('Read a building', ok(ref('Building')), { parameters: [pid] }),
      patch: op('Update a building', ok(ref('Building')), {
        ...body('UpdateBuildingInput'),
        parameters: [pid],
      }),
      delete: op(
        'Remove a building with its levels, zones and device slots (admin); ZONE_REMOVED for each zone',
        { '204': { description: 'Removed' } },
        { parameters: [pid] },
      ),
    },
    '/v1/buildings/{pid}/zone-map': {
      get: op(
        'Zone id → name map of a building',
        ok(
          obj({
            zones: { type: 'object', additionalProperties: { type: 'string' } },
            nextCursor: nullable(str()),
          }),
        ),
        {
          parameters: [pid, ...paging],
        },
      ),
    },
    '/v1/buildings/{pid}/levels': {
      get: op('Levels of a building', ok(list('Level')), { parameters: [pid] }),
      post: op('Create a level (at most 60 per building); emits LEVEL_CREATED', created(ref('Level')), {
        ...body('CreateLevelInput'),
        parameters: [pid, idempotency],
      }),
    },
    '/v1/buildings/{pid}/levels/{lid}': {
      get: op('Read a level', ok(ref('Level')), { parameters: [pid, lid] }),
      patch: op('Update a level; emits LEVEL_NAME_MODIFIED on a new name', ok(ref('Level')), {
        ...body('UpdateLevelInput'),
        parameters: [pid, lid],
      }),
      delete: op(
        'Remove a level with its zones and device slots (admin); ZONE_REMOVED for each zone',
        { '204': { description: 'Removed' } },
        { parameters: [pid, lid] },
      ),
    },
    '/v1/buildings/{pid}/zones': {
      get: op('Zones of a building, or of one level', ok(list('Zone')), {
        parameters: [
          pid,
          queryParam('levelId', 'only this level'),
          queryParam('category', 'zone category id; repeat for several (≤ 10)'),
          ...paging,
        ],
      }),
      post: op(
        'Create zones (up to 1,000 at once); emits ZONE_CREATED each',
        created(obj({ items: { type: 'array', items: ref('Zone') } })),
        {
          ...body('CreateZonesInput'),
          parameters: [pid, idempotency],
        },
      ),
    },
    '/v1/buildings/{pid}/zones/{insId}': {
      get: op('Read a zone', ok(ref('Zone')), { parameters: [pid, insId] }),
      patch: op('Update a zone; emits ZONE_NAME_MODIFIED / ZONE_STATUS_MODIFIED', ok(ref('Zone')), {
        ...body('UpdateZoneInput'),
        parameters: [pid, insId],
      }),
      delete: op(
        'Remove a zone and its device slots (admin); emits ZONE_REMOVED',
        { '204': { description: 'Removed' } },
        { parameters: [pid, insId] },
      ),
    },
    '/v1/buildings/{pid}/device-slots': {
      post: op('Create a device slot in a zone of the building', created(ref('DeviceSlot')), {
        ...body('CreateDeviceSlotInput'),
        parameters: [pid, idempotency],
      }),
    },
    '/v1/device-slots': {
      get: op('Device slots of a building, by provider and type', ok(list('DeviceSlot')), {
        parameters: [
          {
            name: 'pid',
            in: 'query',
            required: true,
            schema: { type: 'string' },
            description: 'building id',
          },
          queryParam('provider', 'e.g. SMARTCLEAN'),
          queryParam('type', 'SMARTCLEAN#PPLCTR, or PPLCTR with provider'),
          ...paging,
        ],
      }),
    },
    '/v1/device-slots/{alias}': {
      get: op('Read a device slot', ok(ref('DeviceSlot')), { parameters: [alias] }),
      patch: op('Update a device slot (e.g. move it to another zone)', ok(ref('DeviceSlot')), {
        ...body('UpdateDeviceSlotInput'),
        parameters: [alias],
      }),
      delete: op(
        'Remove a device slot (admin)',
        { '204': { description: 'Removed' } },
        { parameters: [alias] },
      ),
    },
    '/v1/sensor-data': {
      get: op(
        'Sensor data points of a building in a time range, oldest first (general data format, reference §3.2)',
        ok(list('SensorDataPoint')),
        { parameters: [...sensorDataFilter, ...sensorDataPaging] },
      ),
    },
    '/v1/sensor-data/aggregate': {
      get: op(
        'sum/avg/min/max/count of a numeric field of v per interval (calendar intervals in an IANA time zone); empty buckets omitted',
        ok(ref('SensorDataAggregate')),
        {
          parameters: [
            ...sensorDataFilter,
            requiredQuery('field', 'numeric field of v, e.g. count, rating, temperature'),
            queryParam('agg', 'aggregation (default sum)', {
              type: 'string',
              enum: ['sum', 'avg', 'min', 'max', 'count'],
            }),
            requiredQuery(
              'interval',
              '1m, 5m, 15m, 30m, 1h (exact, aligned to the Unix epoch) or day, week, month (local calendar)',
              {
                type: 'string',
                enum: ['1m', '5m', '15m', '30m', '1h', 'day', 'week', 'month'],
              },
            ),
            queryParam(
              'tz',
              "IANA time zone of calendar buckets and of the answer's times (default: the building's)",
            ),
            queryParam('groupBy', 'one bucket series per zone or per device', {
              type: 'string',
              enum: ['zone', 'device'],
            }),
          ],
        },
      ),
    },
    ...SUBSCRIPTION_PATHS,
  },
  components: {
    securitySchemes: {
      scHmac: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        description: 'SCHMAC_V1;<access_key>;<signature> with x-sc-time',
      },
      basic: { type: 'http', scheme: 'basic', description: 'access_key:secret' },
    },
    responses: {
      Problem: {
        description: 'RFC 9457 problem',
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    },
    schemas: {
      ...SUBSCRIPTION_SCHEMAS,
      Problem: obj(
        {
          type: str(),
          title: str(),
          status: { type: 'integer' },
          detail: str(),
          errors: { type: 'array', items: str() },
        },
        ['type', 'title', 'status', 'detail'],
      ),
      OperatingHours: {
        type: 'object',
        description: 'day "0" (Sunday) … "6" → slots',
        additionalProperties: {
          type: 'array',
          items: obj({ Start: str('HHMM'), End: str('HHMM') }, ['Start', 'End']),
        },
      },
      Property: obj(
        {
          propId: str(),
          orgId: str(),
          name: str(),
          typeId: str(),
          address: nullable({ type: 'object' }),
          timeZone: str(),
          country: nullable(str()),
          countryLocale: nullable(str()),
          status: str(),
          createdOn: time,
          updatedOn: time,
        },
        ['propId', 'orgId', 'name', 'typeId', 'timeZone', 'status'],
      ),
      Building: obj(
        {
          pid: str(),
          propId: str(),
          name: str(),
          config: { type: 'object' },
          operatingHours: nullable(hours),
          address: nullable({ type: 'object' }),
          coordinates: nullable({ type: 'object' }),
          levelsCount: { type: 'integer', minimum: 0, maximum: 60 },
          status: str(),
          timeZone: str(),
          isBeaconEnabled: { type: 'boolean' },
          isPropertyAddress: { type: 'boolean' },
          country: nullable(str()),
          countryLocale: nullable(str()),
          area: nullable({ type: 'number' }),
          createdBy: nullable(str()),
          createdOn: time,
          updatedBy: nullable(str()),
          updatedOn: time,
        },
        ['pid', 'propId', 'name', 'levelsCount', 'status', 'timeZone'],
      ),
      Level: obj(
        {
          lid: str(),
          pid: str(),
          name: str(),
          level: nullable(str()),
          area: nullable({ type: 'number' }),
          floorPlan: nullable(str()),
          createdOn: time,
          updatedOn: time,
        },
        ['lid', 'pid', 'name'],
      ),
      Zone: obj(
        {
          insId: str(),
          pid: str(),
          lid: str(),
          name: str(),
          area: nullable({ type: 'number' }),
          floorType: nullable(str()),
          beaconId: nullable(str()),
          zoneCategoryId: nullable(str()),
          tags: nullable({ type: 'object' }),
          units: nullable({ type: 'object' }),
          status: str(),
          isBuildingOperatingHours: { type: 'boolean' },
          operatingHours: nullable(hours),
          createdOn: time,
          updatedOn: time,
        },
        ['insId', 'pid', 'lid', 'name', 'status'],
      ),
      DeviceSlot: obj(
        {
          alias: str(),
          devid: nullable(str('physical device id')),
          type: str('Provider#SlotType'),
          provider: str(),
          propId: str(),
          orgId: str(),
          pid: str(),
          lid: str(),
          zoneId: str(),
          display: nullable(str()),
          conn: nullable(str()),
          params: { type: 'object' },
          firmwareVersion: nullable(str()),
          commissioned: { type: 'boolean' },
          unhealthy: { type: 'boolean' },
          requiresHealthCheck: { type: 'boolean' },
          timeZone: str(),
          createdBy: nullable(str()),
          createdOn: time,
          updatedBy: nullable(str()),
          updatedOn: time,
        },
        ['alias', 'type', 'provider', 'pid', 'zoneId', 'timeZone'],
      ),
      SensorDataPoint: {
        type: 'object',
        description:
          'A data point in the general data format (reference §3.2) as stored: t, v, unixT, DEVID, Region, time, DevType, PID, PropId?, InsID, Display?, dow, month, hour, dom, minute, then undocumented extras (AGG, DASSOC, stats, …)',
        properties: {
          t: str('local yyyymmddhhmmss'),
          v: { type: 'object', description: 'type-specific reading (reference §3.4)' },
          unixT: { type: 'integer', description: 'epoch milliseconds' },
          DEVID: str('device slot alias'),
          Region: str('IANA time zone'),
          time: str('YYYY-MM-DDTHH:mm:ss+hhmm'),
          DevType: str('Provider#SlotType'),
          PID: str(),
          PropId: str(),
          InsID: str(),
          Display: str(),
          dow: str('0 = Sunday … 6'),
          month: str(),
          hour: str(),
          dom: str(),
          minute: str(),
        },
        required: [
          't',
          'v',
          'unixT',
          'DEVID',
          'Region',
          'time',
          'DevType',
          'PID',
          'InsID',
          'dow',
          'month',
          'hour',
          'dom',
          'minute',
        ],
        additionalProperties: true,
      },
      SensorDataBucket: obj(
        {
          start: str('bucket start in tz, with its offset', { format: 'date-time' }),
          end: str('bucket end (exclusive); a local day is 23 or 25 hours across a daylight-saving change', {
            format: 'date-time',
          }),
          group: str('zone or device id (with groupBy)'),
          value: { type: 'number' },
          points: { type: 'integer', description: 'points with a numeric value of the field in the bucket' },
        },
        ['start', 'end', 'value', 'points'],
      ),
      SensorDataAggregate: obj(
        {
          pid: str(),
          from: str(undefined, { format: 'date-time' }),
          to: str(undefined, { format: 'date-time' }),
          interval: str(),
          tz: str(),
          agg: str(),
          field: str(),
          groupBy: nullable(str()),
          buckets: { type: 'array', items: ref('SensorDataBucket') },
        },
        ['pid', 'from', 'to', 'interval', 'tz', 'agg', 'field', 'groupBy', 'buckets'],
      ),
      IngestKey: obj(
        {
          id: str('key id (not secret)'),
          pid: str('the building whose points (PID) the key may post'),
          provider: nullable(str('the only provider (DevType before #) the key may post for')),
          name: str(),
          createdBy: nullable(str('access key that issued it')),
          createdAt: time,
          revokedBy: nullable(str()),
          revokedAt: nullable(time),
        },
        ['id', 'pid', 'provider', 'name', 'createdAt', 'revokedAt'],
      ),
      IssuedIngestKey: obj(
        {
          id: str('key id (not secret)'),
          key: str('mik_<id>_<secret>: send as `Authorization: Bearer <key>` to push-ingress; shown once', {
            pattern: '^mik_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$',
          }),
          pid: str(),
          provider: nullable(str()),
          name: str(),
          createdAt: time,
        },
        ['id', 'key', 'pid', 'provider', 'name', 'createdAt'],
      ),
      CreateIngestKeyInput: obj(
        {
          name: str('label, e.g. the gateway it is installed on', { minLength: 1, maxLength: 200 }),
          provider: str('limit the key to this provider, e.g. SMARTCLEAN', {
            pattern: '^[A-Za-z0-9_-]{1,64}$',
          }),
        },
        ['name'],
      ),
      CreatePropertyInput: obj(
        {
          name: str(),
          typeId: str(),
          timeZone: str(),
          address: { type: 'object' },
          country: str(),
          countryLocale: str(),
        },
        ['name', 'typeId', 'timeZone'],
      ),
      CreateBuildingInput: obj(
        {
          name: str(),
          levelsCount: { type: 'integer', minimum: 0, maximum: 60 },
          timeZone: str(),
          pid: str(),
          operatingHours: hours,
          email: { type: 'object' },
          address: { type: 'object' },
          coordinates: { type: 'object' },
          isBeaconEnabled: { type: 'boolean' },
          isPropertyAddress: { type: 'boolean' },
          country: str(),
          countryLocale: str(),
          area: { type: 'number', minimum: 0 },
        },
        ['name', 'levelsCount', 'timeZone'],
      ),
      UpdateBuildingInput: obj({
        name: str(),
        status: str(),
        levelsCount: { type: 'integer', minimum: 0, maximum: 60 },
        operatingHours: hours,
        timeZone: str(),
        email: { type: 'object' },
        area: { type: 'number' },
      }),
      CreateLevelInput: obj(
        { name: str(), level: str('e.g. L0'), area: { type: 'number' }, floorPlan: str() },
        ['name'],
      ),
      UpdateLevelInput: obj({ name: str(), level: str(), area: { type: 'number' }, floorPlan: str() }),
      CreateZoneInput: obj(
        {
          name: str(),
          lid: str(),
          area: { type: 'number' },
          floorType: str(),
          tags: { type: 'object' },
          zoneCategoryId: str(),
          units: { type: 'object' },
          isBuildingOperatingHours: { type: 'boolean' },
          operatingHours: hours,
          status: str(),
          beaconId: str(),
        },
        ['name', 'lid'],
      ),
      CreateZonesInput: obj(
        { zones: { type: 'array', minItems: 1, maxItems: 1000, items: ref('CreateZoneInput') } },
        ['zones'],
      ),
      UpdateZoneInput: obj({
        name: str(),
        area: { type: 'number' },
        floorType: str(),
        tags: { type: 'object' },
        zoneCategoryId: str(),
        units: { type: 'object' },
        isBuildingOperatingHours: { type: 'boolean' },
        operatingHours: hours,
        status: str(),
        beaconId: str(),
      }),
      CreateDeviceSlotInput: obj(
        {
          alias: str(),
          type: str('Provider#SlotType'),
          zoneId: str(),
          devid: str(),
          display: str(),
          conn: str(),
          params: { type: 'object' },
          firmwareVersion: str(),
          timeZone: str(),
          commissioned: { type: 'boolean' },
          unhealthy: { type: 'boolean' },
          requiresHealthCheck: { type: 'boolean' },
        },
        ['type', 'zoneId'],
      ),
      UpdateDeviceSlotInput: obj({
        zoneId: str(),
        devid: str(),
        display: str(),
        conn: str(),
        params: { type: 'object' },
        firmwareVersion: str(),
        timeZone: str(),
        commissioned: { type: 'boolean' },
        unhealthy: { type: 'boolean' },
        requiresHealthCheck: { type: 'boolean' },
      }),
    },
  },
} as const;
