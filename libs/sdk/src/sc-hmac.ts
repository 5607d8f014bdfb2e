import { createHmac } from 'node:crypto';

/** What an SC-HMAC v1 signature covers (docs/authentication.md, "SC-HMAC v1"). */
export interface ScHmacScope {
  /** The actions API's module path segment (`scgrids`), or `rest` for REST v1. */
  readonly module: string;
  /** The property id: the actions API's `propid`; on REST `x-sc-propid`, else the credential's, else `''`. */
  readonly propid: string;
  /** The actions API's `op`; on REST `<METHOD>:<path as sent, without the query>`. */
  readonly op: string;
}

/** `<module>/<propid>/<op>/<access_key>/<epoch seconds>` (reference §4.2). */
export function scHmacStringToSign(scope: ScHmacScope, accessKey: string, epochSeconds: number): string {
  return `${scope.module}/${scope.propid}/${scope.op}/${accessKey}/${epochSeconds}`;
}

/** Lowercase hex of HMAC-SHA256 with the UTF-8 bytes of the secret as the key. */
export function scHmacSignature(secretKey: string, stringToSign: string): string {
  return createHmac('sha256', Buffer.from(secretKey, 'utf8')).update(stringToSign, 'utf8').digest('hex');
}

/** The `Authorization` and `x-sc-time` headers of one signed request. */
export function scHmacHeaders(
  scope: ScHmacScope,
  accessKey: string,
  secretKey: string,
  epochSeconds: number,
): { authorization: string; 'x-sc-time': string } {
  const signature = scHmacSignature(secretKey, scHmacStringToSign(scope, accessKey, epochSeconds));
  return { authorization: `SCHMAC_V1;${accessKey};${signature}`, 'x-sc-time': String(epochSeconds) };
}
