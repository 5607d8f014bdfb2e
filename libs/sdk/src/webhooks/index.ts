// @matrix-platform/sdk/webhooks: verify and parse the POSTs of Matrix push subscriptions (docs/delivery.md).
export {
  parseBatch,
  type BatchKind,
  type InvalidBatchItem,
  type MatrixEvent,
  type ParsedItems,
  type SensorDataEncoding,
  type SensorDataPoint,
} from './parse-batch';
export { WebhookError, type WebhookErrorCode } from './webhook-error';
export {
  WebhookBodyReadError,
  webhookHandler,
  type WebhookHandlerOptions,
  type WebhookRequest,
} from './webhook-handler';
export {
  WebhookReceiver,
  type BatchOf,
  type MatrixEventsBatch,
  type SensorDataBatch,
  type WebhookBatch,
  type WebhookHeaders,
  type WebhookReceiverOptions,
  type WebhookResult,
} from './webhook-receiver';
