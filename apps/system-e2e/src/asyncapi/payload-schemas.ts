import { getMetadataStorage } from 'class-validator';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import {
  MatrixEventV1,
  NormalisedSensorDataPointV1,
  REJECTION_REASONS,
  SensorDataPointV1,
} from '@matrix/contracts';

export type JsonSchema = Record<string, unknown>;

/** The contract classes (class-validator decorated) whose JSON Schemas are generated. */
export const CONTRACT_CLASSES = [SensorDataPointV1, NormalisedSensorDataPointV1, MatrixEventV1] as const;

/**
 * `@IsOptional()` lets `null` through as well as an absent field (the contracts' `optional-fields-null`
 * fixtures rely on it), which class-validator-jsonschema does not say: an optional property may also be null.
 */
function allowNullWhenOptional(schema: JsonSchema): JsonSchema {
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const properties = schema['properties'] as Record<string, JsonSchema>;
  return {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [
        name,
        required.has(name) ? property : { anyOf: [property, { type: 'null' }] },
      ]),
    ),
  };
}

/** JSON Schemas of the contract classes, generated from their class-validator decorators. */
export function contractClassSchemas(): Record<string, JsonSchema> {
  const all = validationMetadatasToSchemas({
    classValidatorMetadataStorage: getMetadataStorage(),
    refPointerPrefix: '#/components/schemas/',
  }) as Record<string, JsonSchema>;
  return Object.fromEntries(
    CONTRACT_CLASSES.map((type) => {
      const schema = all[type.name];
      if (!schema) throw new Error(`no class-validator metadata for ${type.name}`);
      const { properties, required, ...rest } = allowNullWhenOptional(schema);
      // Description, type and required first, the properties last: easier to read in the YAML.
      return [type.name, { description: CLASS_DESCRIPTIONS[type.name], ...rest, required, properties }];
    }),
  );
}

const CLASS_DESCRIPTIONS: Record<string, string> = {
  SensorDataPointV1:
    'A sensor data point as posted to push-ingress (reference §3.2); only what identifies the reading is required. Unknown fields are kept. Generated from the class-validator decorators of `SensorDataPointV1` (libs/contracts).',
  NormalisedSensorDataPointV1:
    'A data point in the documented general data format, every field filled in (docs/data-formats.md). `v` depends on the slot type (reference §3.4). Unknown fields are kept. Generated from the class-validator decorators of `NormalisedSensorDataPointV1` (libs/contracts).',
  MatrixEventV1:
    'A Matrix event (reference §2.4). Generated from the class-validator decorators of `MatrixEventV1` (libs/contracts).',
};

/*
 * The payloads below are TypeScript interfaces with hand-written parsers in libs/contracts, not
 * class-validator classes, so nothing can generate them: they are written here, and the spec validates every
 * fixture of their contract against them, so a schema that refuses a published payload fails.
 */
const nonEmpty = { type: 'string', minLength: 1 };
const optionalText = { anyOf: [{ type: 'string' }, { type: 'null' }] };

export const HAND_WRITTEN_SCHEMAS: Record<string, JsonSchema> = {
  DeviceSlotEntry: {
    type: 'object',
    description:
      'A value of the DEVICE_SLOTS bucket (`DeviceSlotEntry`, read by `parseDeviceSlotEntry` in libs/contracts; written by hand from it). Optional fields may be null or absent; unknown fields are ignored.',
    required: ['DevType', 'PID', 'InsID', 'Region'],
    properties: {
      Alias: { type: 'string' },
      DevType: { type: 'string', pattern: '^[A-Za-z0-9_-]+#[A-Za-z0-9_.-]+$' },
      PID: nonEmpty,
      InsID: nonEmpty,
      Region: { ...nonEmpty, description: 'IANA time zone' },
      PropId: optionalText,
      Display: optionalText,
      LID: optionalText,
      Org: optionalText,
      Provider: optionalText,
      Devid: optionalText,
      UpdatedOn: optionalText,
    },
  },
  IngestKeyEntry: {
    type: 'object',
    description:
      'A value of the INGEST_KEYS bucket (`IngestKeyEntry`, read by `parseIngestKeyEntry` in libs/contracts; written by hand from it).',
    required: ['id', 'pid', 'name', 'secretHash', 'createdAt'],
    properties: {
      id: nonEmpty,
      pid: nonEmpty,
      provider: { ...optionalText, description: 'The only provider the key may post for; null: any' },
      name: { type: 'string' },
      secretHash: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'SHA-256 of the secret, hex' },
      createdAt: { type: 'string', format: 'date-time' },
    },
  },
  ConsumerLease: {
    type: 'string',
    description:
      'Plain text, not JSON. A lease (`<group>.p<k>`): the id of the replica holding it (`<host>-<pid>-<random>`); a membership (`<group>.m.<member>`): epoch milliseconds of its last renewal.',
  },
  PrincipalEntry: {
    type: 'object',
    description:
      'A value of the PRINCIPALS bucket (`PrincipalEntry`, read by `parsePrincipalEntry` in libs/contracts; written by hand from it).',
    required: ['type', 'org', 'property'],
    properties: {
      type: { type: 'string', enum: ['building', 'property'] },
      org: nonEmpty,
      property: { ...nonEmpty, description: "The property's id (its own for a property)" },
    },
  },
  RejectedReading: {
    type: 'object',
    description:
      'A reading sensor-normaliser could not normalise (`RejectedReading` in libs/contracts, an interface; written by hand from it).',
    required: ['reason', 'errors', 'rawSubject', 'rawMsgId', 'rejectedAt', 'point'],
    properties: {
      reason: { type: 'string', enum: [...REJECTION_REASONS] },
      errors: { type: 'array', items: { type: 'string' } },
      rawSubject: {
        type: 'string',
        description:
          'sensor.raw.<provider>.<lane>.p<partition> it arrived on (four tokens if from before partitions), without namespace',
      },
      rawMsgId: { type: 'string', description: 'Its reading id (ADR-4)' },
      rejectedAt: { type: 'string', format: 'date-time' },
      directoryRevision: { type: 'integer' },
      point: { description: 'The reading exactly as it was on SENSOR_RAW' },
      ingest: {
        type: 'object',
        required: ['keyId', 'pid'],
        properties: { keyId: { type: 'string' }, pid: { type: 'string' } },
      },
    },
  },
  DeadLetterBody: {
    description:
      'The original message bytes, unchanged (a JSON array of points, a Matrix event, a push batch body, …): read `Matrix-Dlq-Subject` to know which.',
  },
  MaxDeliveriesAdvisory: {
    type: 'object',
    description:
      "nats-server's `io.nats.jetstream.advisory.v1.max_deliver` advisory; the relay reads `stream`, `consumer` and `stream_seq` (`MaxDeliveriesAdvisory` in libs/messaging).",
    required: ['stream', 'consumer', 'stream_seq'],
    properties: {
      type: { type: 'string' },
      stream: { type: 'string' },
      consumer: { type: 'string' },
      stream_seq: { type: 'integer' },
      deliveries: { type: 'integer' },
    },
  },
};

/** Every payload schema of the catalogue, by component name. */
export function payloadSchemas(): Record<string, JsonSchema> {
  return { ...contractClassSchemas(), ...HAND_WRITTEN_SCHEMAS };
}
