import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import { IngestKeysController } from './ingest-keys/ingest-keys.controller';
import { OPENAPI_DOCUMENT } from './rest/openapi';
import { OpenApiController } from './rest/openapi.controller';
import { RegistryController } from './registry/registry.controller';
import { SensorDataController } from './sensor-data/sensor-data.controller';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';

const CHECKED_IN = path.join(__dirname, '../openapi.json');

/** Every route a REST controller declares, as `METHOD /path` with OpenAPI-style `{param}`s. */
function declaredRoutes(controller: new (...args: never[]) => unknown): string[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const prototype = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor' && Reflect.hasMetadata(PATH_METADATA, prototype[name] as object))
    .map((name) => {
      const handler = prototype[name] as object;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number];
      const route = `/${base}/${String(Reflect.getMetadata(PATH_METADATA, handler))}`
        .replace(/\/+/g, '/')
        .replace(/\/$/, '');
      return `${method} ${route.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    });
}

describe('the REST v1 OpenAPI document', () => {
  it('describes exactly the routes the registry, ingest key and sensor data controllers serve', () => {
    const documented = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect(documented.sort()).toEqual(
      [
        ...declaredRoutes(IngestKeysController),
        ...declaredRoutes(RegistryController),
        ...declaredRoutes(SensorDataController),
        ...declaredRoutes(SubscriptionsController),
      ].sort(),
    );
  });

  it('is served by the documentation controller', () => {
    expect(declaredRoutes(OpenApiController).sort()).toEqual(['GET /v1/docs', 'GET /v1/openapi.json']);
    expect(new OpenApiController().document()).toBe(OPENAPI_DOCUMENT);
  });

  it('matches the checked-in openapi.json (UPDATE_DOCS=1 rewrites it)', () => {
    const generated = `${JSON.stringify(OPENAPI_DOCUMENT, null, 2)}\n`;
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(CHECKED_IN, generated);
    expect(existsSync(CHECKED_IN) ? readFileSync(CHECKED_IN, 'utf8') : '(missing)').toBe(generated);
  });

  it('points every $ref at a defined component', () => {
    const text = JSON.stringify(OPENAPI_DOCUMENT);
    const refs = [...text.matchAll(/"#\/components\/(schemas|responses)\/([A-Za-z]+)"/g)];
    for (const [, kind, name] of refs) {
      expect({
        ref: `${kind}/${name}`,
        defined: name! in (OPENAPI_DOCUMENT.components as Record<string, Record<string, unknown>>)[kind!]!,
      }).toEqual({
        ref: `${kind}/${name}`,
        defined: true,
      });
    }
  });
});
