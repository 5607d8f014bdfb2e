/** Success envelopes of the actions API, per module (docs/api.md, "Envelopes"). */

/** `scgrids`: creates answer HTTP 201 with `status: 201`; paged lists add `LEK`, sent back as `ESK`. */
export interface GridsEnvelope<T = unknown> {
  readonly status: number;
  readonly message: string;
  readonly data: T;
  readonly LEK?: string;
}

/** `scworkforcemanagement` (ops `scteams.*`): paged lists add `LastEvaluatedKey` at the top level. */
export interface WorkforceEnvelope<T = unknown> {
  readonly code: string;
  readonly message: string;
  readonly data: T;
  readonly LastEvaluatedKey?: string;
}

/** `scmetrics`: TSDB answers carry `series`; module metrics `metrics`; event logs page with `series.LastKey`. */
export interface MetricsEnvelope {
  readonly type: string;
  readonly queryType: string;
  readonly series?: unknown;
  readonly metrics?: unknown;
  readonly [key: string]: unknown;
}

/** `scdevicemanagement`: the slot ops; `realSenseMigrated` answers `{ID, Migrated}` instead. */
export interface DeviceManagementEnvelope {
  readonly Slots?: Record<string, unknown>[];
  readonly code?: string;
  readonly message?: string;
  readonly [key: string]: unknown;
}

/** `scteamsprop` (ops `scpropteams.*`). */
export interface MembersEnvelope<T = unknown> {
  readonly status: string;
  readonly message: string;
  readonly data: T;
}

/** `attendance` (ops `scattendance.*`): `attendanceEvent` answers `{input, output, status}`. */
export interface AttendanceEnvelope {
  readonly [key: string]: unknown;
}

/** The envelope an op answers, from its prefix; any JSON object for an op of another module. */
export type EnvelopeOf<Op extends string> = Op extends `scgrids.${string}`
  ? GridsEnvelope
  : Op extends `scteams.${string}`
    ? WorkforceEnvelope
    : Op extends `scmetrics.${string}`
      ? MetricsEnvelope
      : Op extends `scdevicemanagement.${string}`
        ? DeviceManagementEnvelope
        : Op extends `scpropteams.${string}`
          ? MembersEnvelope
          : Op extends `scattendance.${string}`
            ? AttendanceEnvelope
            : Record<string, unknown>;
