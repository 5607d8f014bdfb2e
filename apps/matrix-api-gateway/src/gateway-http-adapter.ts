import { HttpException, HttpStatus, type DynamicModule, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { isFresh, weakEtag } from './http-etag';
import { BODY_LIMIT_BYTES, parseFormBody, parseJsonBody } from './json-body';
import { MULTIPART_BODY_LIMIT, parseMultipartBody } from './media/multipart-body';

const JSON_TYPE = 'application/json';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const MULTIPART_TYPE = 'multipart/form-data';

/**
 * The gateway's HTTP server: Nest's Fastify adapter (ADR-21, docs/architecture.md), set up to answer as
 * the gateway answered on Express:
 * - routes match case-insensitively and with or without a trailing slash, with no length limit on a path
 *   parameter short of Node's header limit;
 * - bodies: JSON and urlencoded as body-parser read them (json-body.ts), gzip/deflate/br inflated, up to
 *   {@link BODY_LIMIT_BYTES} (413); `multipart/form-data` (the media uploads, one file of at most 2 MB)
 *   up to {@link MULTIPART_BODY_LIMIT}; a body of any other type is not read (`undefined`), not refused;
 * - every answer carries Express's weak ETag, and a GET/HEAD whose `If-None-Match` matches it is 304;
 * - every answer carries `x-request-id`: the caller's own when it sent a usable one (1–128 characters of
 *   `A-Za-z0-9._:-`), else a new UUID; it is `request.id`, and the exception filters' error logs name it;
 * - no request logging (Fastify's logger is off; the JSON logger logs what matters).
 * Create the app with `bodyParser: false`: these parsers replace Nest's.
 */
export function gatewayHttpAdapter(): FastifyAdapter {
  const adapter = new FastifyAdapter({
    // No Fastify logger, so no request logging either: the JSON logger logs what matters.
    logger: false,
    genReqId: (request: IncomingMessage) => requestIdOf(request.headers[REQUEST_ID]),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 16 * 1024 },
    // The router's own refusals (a malformed percent-encoding: 400) go to Nest's error handler, so the
    // surface's filter answers them as on Express (the adapter's default sends Fastify's error body).
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      // No onRequest hook runs before a router refusal.
      void reply.header(REQUEST_ID, request.id);
      void adapter.getInstance().errorHandler(error, request, reply);
    },
  });
  const fastify = adapter.getInstance();
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(JSON_TYPE, { parseAs: 'buffer' }, (request, raw, done) => {
    parse(() => parseJsonBody(raw as Buffer, request.headers['content-type']), done);
  });
  fastify.addContentTypeParser(FORM_TYPE, { parseAs: 'buffer' }, (request, raw, done) => {
    parse(() => parseFormBody(raw as Buffer, request.headers['content-type']), done);
  });
  fastify.addContentTypeParser(
    MULTIPART_TYPE,
    { parseAs: 'buffer', bodyLimit: MULTIPART_BODY_LIMIT },
    (request, raw, done) => {
      parseMultipartBody(raw as Buffer, request.headers['content-type']).then(
        (body) => done(null, body),
        (error: Error) => done(error),
      );
    },
  );
  // Express left a body of another type (or none) unread: `undefined`, not 415.
  fastify.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  fastify.addHook('preParsing', (request, _reply, payload, done) => {
    try {
      done(null, inflate(request, payload));
    } catch (error) {
      done(error as Error);
    }
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID, request.id);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    done(null, withEtag(request, reply, payload));
  });
  return adapter;
}

const REQUEST_ID = 'x-request-id';
const USABLE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is usable (one, short, of safe characters), else a new UUID. */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === 'string' && USABLE_REQUEST_ID.test(header) ? header : randomUUID();
}

/** The gateway app on {@link gatewayHttpAdapter} (for tests; `main.ts` goes through `runService`). */
export function createGatewayApp(
  module: DynamicModule,
  options: NestApplicationOptions = {},
): Promise<NestFastifyApplication> {
  return NestFactory.create<NestFastifyApplication>(module, gatewayHttpAdapter(), {
    ...options,
    bodyParser: false,
  });
}

function parse(read: () => unknown, done: (error: Error | null, body?: unknown) => void): void {
  let body: unknown;
  try {
    body = read();
  } catch (error) {
    return done(error as Error);
  }
  done(null, body);
}

/** A JSON or urlencoded body in a Content-Encoding body-parser inflated, inflated; 415 for another one. */
function inflate(request: FastifyRequest, payload: Readable): Readable {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return payload;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== JSON_TYPE && type !== FORM_TYPE) return payload;
  const decoder =
    encoding === 'gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (!decoder) {
    throw new HttpException(`unsupported content encoding "${encoding}"`, HttpStatus.UNSUPPORTED_MEDIA_TYPE);
  }
  // Fastify compares Content-Length with the bytes received, not the inflated ones.
  const inflated = Object.assign(new PassThrough(), { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => {
    inflated.receivedEncodedLength += chunk.length;
  });
  decoder.on('error', (error) => {
    inflated.destroy(
      Object.assign(new HttpException(error.message, HttpStatus.BAD_REQUEST), { statusCode: 400 }),
    );
  });
  payload.pipe(decoder).pipe(inflated);
  return inflated;
}

/** Express's ETag on every answer with a body, and its 304 for a fresh conditional GET/HEAD. */
function withEtag(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  let etag = reply.getHeader('etag');
  if (typeof etag !== 'string') {
    etag = weakEtag(payload);
    void reply.header('ETag', etag);
  }
  const status = reply.statusCode;
  if (
    (request.method === 'GET' || request.method === 'HEAD') &&
    ((status >= 200 && status < 300) || status === 304) &&
    isFresh(request.headers, etag)
  ) {
    void reply.code(304).removeHeader('content-type').removeHeader('content-length');
    return null; // no body and, as on Express, no Content-Length
  }
  return payload;
}
