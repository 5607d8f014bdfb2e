import { actionCommandV1, WORKFORCE_ACTIONS_SUBJECT } from '../actions/action-command.v1';
import { MatrixEventV1 } from '../events/matrix-event.v1';
import { validateMatrixEvent } from '../events/matrix-event.check';
import { parseIngestKeyEntry } from '../ingest/ingest-key';
import { validatePointList } from '../messages/point-batches';
import { validateNormalisedPoint } from '../sensor/sensor-data-point.check';
import {
  canonicalDevType,
  NormalisedSensorDataPointV1,
  SensorDataPointV1,
} from '../sensor/sensor-data-point.v1';
import { parseDeviceSlotEntry } from '../sensor/device-slot-entry';
import { normaliseSlotPoint } from '../sensor/slot-value';
import { validateContract } from '../shared/validation';
import { ROUTER_COMMANDS } from '../subscriptions/router-commands';
import { parsePrincipalEntry } from '../subscriptions/principal-entry';
import { checkSubscriptionInput, checkSubscriptionUpdate } from '../subscriptions/subscription.v1';
import { ATTENDANCE_ACTIONS_SUBJECT } from '../workforce/attendance-actions';
import { CLOCK_ADVANCE_COMMAND } from '../workforce/clock-commands';
import { INCIDENT_COMMANDS } from '../workforce/incident-commands';
import { SEAT_COMMANDS } from '../workforce/seat-commands';
import { SQL_SINK_COMMANDS } from '../sql/sql-sink-commands';
import { TENANT_ROLE_COMMANDS } from '../sql/tenant-role-commands';

/*
 * The published contract versions whose old payloads must keep decoding (docs/contracts.md). Each entry
 * names its fixture folder and the checks a fixture may be run through; the compatibility spec runs every
 * fixture through the check its folder's index.json names, and fails for an entry without fixtures.
 * A new contract version is a new entry here and a new folder `fixtures/<contract>/<version>/`.
 */

/** What a check answers: the decoders' own `Checked`/`Validated` shapes all fit. */
export type CompatResult = { ok: true } | { ok: false; errors: string[] };
export type CompatCheck = (json: unknown) => CompatResult;

export interface ContractVersion {
  /** Fixture folder name: the subject without its version for a command, else a kebab-case name. */
  readonly contract: string;
  /** `v1`, `v2`, …: the `.v<n>` of the subject or the `V<n>` of the type. */
  readonly version: string;
  /** Where the contract is defined, for the failure messages. */
  readonly source: string;
  /** The checks by name; a fixture's index.json entry names one (optional when there is only one). */
  readonly checks: Readonly<Record<string, CompatCheck>>;
  /** Folder below `libs/contracts/fixtures`, when not `<contract>/<version>` (fixtures from before this registry). */
  readonly fixtureDir?: string;
}

/** Structurally a `CommandSpec` of @matrix/messaging, as the contracts export them. */
export interface CommandSpecLike {
  readonly subject: string;
  readonly decodeRequest: (json: unknown, subject: string) => CompatResult;
  readonly decodeReply: (json: unknown, subject: string) => CompatResult;
}

export function isCommandSpec(value: unknown): value is CommandSpecLike {
  if (typeof value !== 'object' || value === null) return false;
  const spec = value as Record<string, unknown>;
  return (
    typeof spec.subject === 'string' &&
    typeof spec.decodeRequest === 'function' &&
    typeof spec.decodeReply === 'function'
  );
}

/**
 * The command specs among a module's exports: an exported spec, or the values of an exported object of
 * specs (`SEAT_COMMANDS.create`, …). The compatibility spec runs this over `libs/contracts` itself, so a
 * command added there is found without being listed.
 */
export function commandSpecsIn(exports: Record<string, unknown>): CommandSpecLike[] {
  const specs: CommandSpecLike[] = [];
  for (const value of Object.values(exports)) {
    if (isCommandSpec(value)) specs.push(value);
    else if (typeof value === 'object' && value !== null) {
      specs.push(...Object.values(value).filter(isCommandSpec));
    }
  }
  return specs;
}

const VERSIONED_SUBJECT = /^(.+)\.(v\d+)$/;

/** A command's contract version: both directions of `<domain>.<entity>.<imperative>.v<n>`. */
export function commandContract(spec: CommandSpecLike, source: string): ContractVersion {
  const match = VERSIONED_SUBJECT.exec(spec.subject);
  if (!match) throw new Error(`command subject ${spec.subject} has no .v<n> suffix`);
  return {
    contract: match[1] as string,
    version: match[2] as string,
    source,
    checks: {
      decodeRequest: (json) => spec.decodeRequest(json, spec.subject),
      decodeReply: (json) => spec.decodeReply(json, spec.subject),
    },
  };
}

const both =
  (...checks: CompatCheck[]): CompatCheck =>
  (json) => {
    const errors = checks.flatMap((check) => {
      const result = check(json);
      return result.ok ? [] : result.errors;
    });
    // Both checks name the same problem in the same words: once is enough.
    return errors.length === 0 ? { ok: true } : { ok: false, errors: [...new Set(errors)] };
  };

/** A KV entry fixture is `{ "key": …, "value": … }`: the parsers read both. */
const kvEntry =
  (parse: (key: string, value: unknown) => CompatResult): CompatCheck =>
  (json) => {
    const { key, value } = (json ?? {}) as { key?: unknown; value?: unknown };
    return typeof key === 'string'
      ? parse(key, value)
      : { ok: false, errors: ['fixture: must be { "key": string, "value": … }'] };
  };

/** What push-ingress and sensor-normaliser accept: a documented legacy DevType mapped, then `v` normalised. */
const sensorPoint: CompatCheck = (json) => {
  const input =
    typeof json === 'object' && json !== null && !Array.isArray(json) && 'DevType' in json
      ? { ...json, DevType: canonicalDevType(String((json as { DevType: unknown }).DevType)) }
      : json;
  const point = validateContract(SensorDataPointV1, input);
  if (!point.ok) return point;
  return normaliseSlotPoint(point.value);
};

/** The action-call commands built by `actionCommandV1`, which exports no spec object of its own. */
export const ACTION_COMMAND_SUBJECTS = [WORKFORCE_ACTIONS_SUBJECT, ATTENDANCE_ACTIONS_SUBJECT] as const;

/** Every published contract version. */
export const CONTRACT_VERSIONS: readonly ContractVersion[] = [
  {
    contract: 'matrix-event',
    version: 'v1',
    source: 'events/matrix-event.v1.ts (MatrixEventV1), events/matrix-event.check.ts',
    // The router's fast check and the contract class must both accept an old event.
    checks: {
      MatrixEventV1: both(
        (json) => validateContract(MatrixEventV1, json),
        (json) => validateMatrixEvent(json),
      ),
    },
  },
  {
    contract: 'sensor-data-point',
    version: 'v1',
    source: 'sensor/sensor-data-point.v1.ts (SensorDataPointV1), sensor/slot-value.ts',
    checks: { SensorDataPointV1: sensorPoint },
    // Its valid fixtures predate this registry; sensor-data-point.v1.spec.ts also checks their exact `v`.
    fixtureDir: 'sensor-data-point.v1/valid',
  },
  {
    contract: 'normalised-sensor-data-point',
    version: 'v1',
    source:
      'sensor/sensor-data-point.v1.ts (NormalisedSensorDataPointV1: SENSOR_DATA), sensor/sensor-data-point.check.ts',
    checks: {
      NormalisedSensorDataPointV1: both(
        (json) => validateContract(NormalisedSensorDataPointV1, json),
        (json) => validateNormalisedPoint(json),
      ),
    },
  },
  {
    contract: 'sensor-point-message',
    version: 'v1',
    source: 'messages/point-batches.ts (validatePointList: the body of SENSOR_RAW / SENSOR_DATA messages)',
    checks: {
      validatePointList: (json) =>
        validatePointList((point) => {
          const result = sensorPoint(point);
          return result.ok ? { ok: true, value: point } : result;
        }, json),
    },
  },
  {
    contract: 'principal-entry',
    version: 'v1',
    source: 'subscriptions/principal-entry.ts (PRINCIPALS KV bucket)',
    checks: { parsePrincipalEntry: kvEntry(parsePrincipalEntry) },
  },
  {
    contract: 'device-slot-entry',
    version: 'v1',
    source: 'sensor/device-slot-entry.ts (DEVICE_SLOTS KV bucket)',
    checks: { parseDeviceSlotEntry: kvEntry(parseDeviceSlotEntry) },
  },
  {
    contract: 'ingest-key-entry',
    version: 'v1',
    source: 'ingest/ingest-key.ts (INGEST_KEYS KV bucket)',
    checks: { parseIngestKeyEntry: kvEntry(parseIngestKeyEntry) },
  },
  {
    contract: 'subscription-input',
    version: 'v1',
    source: 'subscriptions/subscription.v1.ts (SubscriptionInputV1, SubscriptionUpdateV1)',
    checks: { checkSubscriptionInput, checkSubscriptionUpdate },
  },
  ...ACTION_COMMAND_SUBJECTS.map((subject) =>
    commandContract(actionCommandV1(subject), 'actions/action-command.v1.ts (actionCommandV1)'),
  ),
  ...Object.entries({
    'subscriptions/router-commands.ts (ROUTER_COMMANDS)': ROUTER_COMMANDS,
    'workforce/seat-commands.ts (SEAT_COMMANDS)': SEAT_COMMANDS,
    'workforce/incident-commands.ts (INCIDENT_COMMANDS)': INCIDENT_COMMANDS,
    'workforce/clock-commands.ts (CLOCK_ADVANCE_COMMAND)': { CLOCK_ADVANCE_COMMAND },
    'sql/tenant-role-commands.ts (TENANT_ROLE_COMMANDS)': TENANT_ROLE_COMMANDS,
    'sql/sql-sink-commands.ts (SQL_SINK_COMMANDS)': SQL_SINK_COMMANDS,
  }).flatMap(([source, specs]) => commandSpecsIn(specs).map((spec) => commandContract(spec, source))),
];
