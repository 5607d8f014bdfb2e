// @matrix-platform/sdk/nats: durable JetStream consumers of the platform's subjects, yielding validated,
// typed Matrix events and sensor data points.
export {
  decodeMatrixEvent,
  decodeSensorData,
  READING_IDS_HEADER,
  type Decoded,
  type IdentifiedPoint,
  type InvalidItem,
  type MatrixEvent,
  type SensorDataPoint,
} from './decode';
export { resolveNames, type MatrixStreamKind, type ResolvedNames } from './subjects';
export {
  bindMatrixEvents,
  bindSensorData,
  DurableMismatchError,
  TypedConsumer,
  type BindOptions,
  type ConsumerLogger,
  type Delivered,
  type InvalidDelivered,
  type MessageDecoder,
  type OnInvalid,
  type TypedConsumerOptions,
  type MatrixEventMessage,
  type SensorDataMessage,
} from './typed-consumer';
