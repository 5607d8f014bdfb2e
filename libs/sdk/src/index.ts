// @matrix-platform/sdk: the HTTP clients (REST v1 and the Matrix actions API).
// The webhook receiver and the NATS helper are the entry points "./webhooks" and "./nats".
export { MatrixClient, type MatrixClientOptions } from './client';
export {
  basicAuth,
  bearerAuth,
  scHmacAuth,
  type BasicAuth,
  type BearerAuth,
  type MatrixAuth,
  type ScHmacAuth,
} from './auth';
export { scHmacHeaders, scHmacSignature, scHmacStringToSign, type ScHmacScope } from './sc-hmac';
export {
  MatrixApiError,
  MatrixNetworkError,
  type ActionErrorEnvelope,
  type ProblemDetails,
  type RequestDescription,
} from './errors';
export { DEFAULT_RETRY, parseRetryAfter, RETRYABLE_STATUSES, type RetryOptions } from './retry';
export type { CallOptions, RetryEvent } from './transport';
export {
  MatrixActionsClient,
  type ActionCallOptions,
  type ActionDefaults,
  type ActionTarget,
} from './actions/actions-client';
export type {
  AttendanceEnvelope,
  DeviceManagementEnvelope,
  EnvelopeOf,
  GridsEnvelope,
  MembersEnvelope,
  MetricsEnvelope,
  WorkforceEnvelope,
} from './actions/envelopes';
export type {
  CursorItem,
  CursorListPath,
  CursorPage,
  CursorPagePath,
  MatrixRestClient,
  RestInit,
} from './rest/rest-client';
export type {
  components as RestComponents,
  operations as RestOperations,
  paths as RestPaths,
} from './rest/openapi.generated';
export { SDK_VERSION } from './version';
