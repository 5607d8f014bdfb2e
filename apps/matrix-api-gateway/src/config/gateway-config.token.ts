/** Injection token of the gateway's validated configuration (`MatrixApiGatewayConfig`). */
export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
