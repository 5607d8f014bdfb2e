import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { unsafeParts } from '@matrix/contracts';
import { DomainError } from './domain-error';

/** Largest JSON body the gateway reads; larger bodies get 413. */
export const JSON_BODY_LIMIT = '2mb';

/**
 * The gateway's JSON body parser, installed before Nest's default one (which it replaces): bodies up to
 * {@link JSON_BODY_LIMIT}, each a JSON object or array (as Express's strict parser takes them) or the
 * literal `null`. The public SDKs post `null` as the body of an op without arguments (the Python SDK sends
 * `json.dumps(None)` as `application/json`): it reaches the handlers as `null`, "no body" (the actions API
 * reads it as no arguments; a REST v1 operation that needs a body refuses it naming the body). Any other
 * top-level value (`42`, `"text"`, `true`) is refused here with 400, as the strict parser refused it.
 * A body with a prototype key (`__proto__`, `constructor`, `prototype`) or nested deeper than
 * MAX_INPUT_DEPTH is refused here too, naming the field (`unsafeParts`), so that nothing that walks a
 * body (validation, the idempotency hash) ever meets one.
 */
export function useGatewayJsonBody(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: JSON_BODY_LIMIT, strict: false });
  express.use(checkBody);
}

function checkBody(request: Request, _response: Response, next: NextFunction): void {
  const body: unknown = request.body;
  if (body === null || body === undefined) return next();
  if (typeof body !== 'object') {
    // A SyntaxError with status 400 is what Express's strict parser raises (Nest maps it to a 400).
    const error = Object.assign(
      new SyntaxError(`The body must be a JSON object, an array or null, not a ${typeof body}`),
      { status: 400, statusCode: 400, expose: true, type: 'entity.parse.failed' },
    );
    return next(error);
  }
  const unsafe = unsafeParts(body);
  if (unsafe.length > 0) return next(new DomainError('INVALID', unsafe.join('; '), unsafe));
  next();
}
