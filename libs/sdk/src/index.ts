// @matrix-platform/sdk: the HTTP clients (REST v1 and the Matrix actions API).
// The webhook receiver and the NATS helper are the entry points "./webhooks" and "./nats".
export const SDK_VERSION = '0.1.0';
