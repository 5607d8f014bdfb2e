import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import { parse as parseQueryString } from 'qs';
import { unsafeParts } from '@matrix/contracts';
import { DomainError } from './domain-error';

/** Largest body the gateway reads (2 MiB, what body-parser's `'2mb'` meant); larger bodies get 413. */
export const BODY_LIMIT_BYTES = 2 * 1024 * 1024;

/** Most fields an urlencoded body may have (body-parser's default, which the gateway had on Express). */
const FORM_PARAMETER_LIMIT = 1000;

/**
 * Parses an `application/json` body the way the gateway did on Express (body-parser, `strict: false`):
 * an empty body is `{}`; the charset must be UTF-* (else 415 naming it); a BOM is dropped; malformed JSON
 * is 400. Then {@link checkBody}. The public SDKs post `null` as the body of an op without arguments (the
 * Python SDK sends `json.dumps(None)` as `application/json`): it reaches the handlers as `null`, "no body"
 * (the actions API reads it as no arguments; a REST v1 operation that needs a body refuses it naming the
 * body).
 */
export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  const charset = charsetOf(contentType) ?? 'utf-8';
  if (!charset.startsWith('utf-')) throw unsupportedCharset(charset);
  if (raw.length === 0) return {};
  const text = decode(raw, charset);
  let body: unknown;
  try {
    body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new BadRequestException((error as Error).message, { cause: error });
  }
  return checkBody(body);
}

/**
 * Parses an `application/x-www-form-urlencoded` body as body-parser's extended parser did on Express
 * (`qs`, nested keys, at most 1000 fields, 32 levels): UTF-8 or ISO-8859-1 (else 415). Then
 * {@link checkBody}.
 */
export function parseFormBody(raw: Buffer, contentType: string | undefined): unknown {
  const charset = charsetOf(contentType) ?? 'utf-8';
  if (charset !== 'utf-8' && charset !== 'iso-8859-1') throw unsupportedCharset(charset);
  if (raw.length === 0) return {};
  const text = raw.toString(charset === 'utf-8' ? 'utf8' : 'latin1');
  const fields = text.split('&').length;
  if (fields > FORM_PARAMETER_LIMIT) {
    throw new HttpException('too many parameters', HttpStatus.PAYLOAD_TOO_LARGE);
  }
  let body: unknown;
  try {
    body = parseQueryString(text, {
      allowPrototypes: true,
      arrayLimit: Math.max(100, fields),
      depth: 32,
      charset,
      parameterLimit: FORM_PARAMETER_LIMIT,
      strictDepth: true,
    });
  } catch (error) {
    if (error instanceof RangeError) throw new BadRequestException('The input exceeded the depth');
    throw error;
  }
  return checkBody(body);
}

/**
 * Each body is a JSON object or array or the literal `null`: any other top-level value (`42`, `"text"`,
 * `true`) is refused with 400, as Express's strict parser refused it. A body with a prototype key
 * (`__proto__`, `constructor`, `prototype`) or nested deeper than MAX_INPUT_DEPTH is refused too, naming
 * the field (`unsafeParts`), so that nothing that walks a body (validation, the idempotency hash) ever
 * meets one.
 */
function checkBody(body: unknown): unknown {
  if (body === null) return body;
  if (typeof body !== 'object') {
    throw new BadRequestException(`The body must be a JSON object, an array or null, not a ${typeof body}`);
  }
  const unsafe = unsafeParts(body);
  if (unsafe.length > 0) throw new DomainError('INVALID', unsafe.join('; '), unsafe);
  return body;
}

/** The lower-cased `charset` parameter of a Content-Type, if any. */
function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";\s]*)\1/i.exec(contentType ?? '');
  return match ? match[2]!.toLowerCase() : undefined;
}

function decode(raw: Buffer, charset: string): string {
  if (charset === 'utf-8' || charset === 'utf8') return raw.toString('utf8');
  try {
    return new TextDecoder(charset).decode(raw);
  } catch {
    throw unsupportedCharset(charset);
  }
}

function unsupportedCharset(charset: string): HttpException {
  return new HttpException(
    `unsupported charset "${charset.toUpperCase()}"`,
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}
