import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { RequestMethod } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from './app.module';
import { loadConfig } from './config/matrix-api-gateway.config';
import { PropertyAccessKeysController } from './access-keys/property-access-keys.controller';
import { PropertyAccessKeysModule } from './access-keys/property-access-keys.module';
import { EventLogsController } from './event-logs/event-logs.controller';
import { EventLogsModule } from './event-logs/event-logs.module';
import { createGatewayApp } from './gateway-http-adapter';
import { IncidentsController } from './incidents/incidents.controller';
import { IncidentsModule } from './incidents/incidents.module';
import { IngestKeysController } from './ingest-keys/ingest-keys.controller';
import { IngestKeysModule } from './ingest-keys/ingest-keys.module';
import { RegistryController } from './registry/registry.controller';
import { RegistryModule } from './registry/registry.module';
import { OPENAPI_DOCUMENT } from './rest/openapi';
import { OpenApiController } from './rest/openapi.controller';
import { buildOpenApiDocument } from './rest/openapi-document';
import { SeatsController } from './seats/seats.controller';
import { SeatsModule } from './seats/seats.module';
import { SensorDataController } from './sensor-data/sensor-data.controller';
import { SensorDataModule } from './sensor-data/sensor-data.module';
import { SqlRolesController } from './sql-roles/sql-roles.controller';
import { SqlRolesModule } from './sql-roles/sql-roles.module';
import { SqlSinksController } from './sql-sinks/sql-sinks.controller';
import { SqlSinksModule } from './sql-sinks/sql-sinks.module';
import { SubscriptionsController } from './subscriptions/subscriptions.controller';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';
import { AvailabilityController } from './workforce/availability.controller';
import { ShiftsController } from './workforce/shifts.controller';
import { SolutionsController } from './workforce/solutions.controller';
import { TaskGroupsController, ZoneWorkController } from './workforce/task-groups.controller';
import { WorkforceModule } from './workforce/workforce.module';

const CHECKED_IN = path.join(__dirname, '../openapi.json');
const REGENERATE = 'UPDATE_DOCS=1 npx jest -c apps/matrix-api-gateway/jest.config.cjs openapi';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

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

/** The document @nestjs/swagger generates from the feature modules (the app built in preview mode: nothing connects). */
async function generate(): Promise<OpenAPIObject> {
  const config = loadConfig({ MATRIX_SECRET_KEY: randomBytes(32).toString('base64') });
  const app = await createGatewayApp(AppModule.forRoot(config), { preview: true, logger: false });
  try {
    return buildOpenApiDocument(app, [
      RegistryModule,
      IngestKeysModule,
      SensorDataModule,
      EventLogsModule,
      SqlRolesModule,
      PropertyAccessKeysModule,
      SqlSinksModule,
      SubscriptionsModule,
      SeatsModule,
      IncidentsModule,
      WorkforceModule,
    ]);
  } finally {
    await app.close();
  }
}

const operations = (document: OpenAPIObject) =>
  Object.entries(document.paths).flatMap(([route, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${route}`,
        operation: operation as { operationId?: string; tags?: string[]; responses: Record<string, unknown> },
      })),
  );

describe('the REST v1 OpenAPI document', () => {
  let generated: OpenAPIObject;

  beforeAll(async () => {
    generated = await generate();
  });

  it('matches the checked-in openapi.json (UPDATE_DOCS=1 rewrites it)', () => {
    const text = `${JSON.stringify(generated, null, 2)}\n`;
    if (process.env['UPDATE_DOCS'] === '1') writeFileSync(CHECKED_IN, text);
    const checkedIn = existsSync(CHECKED_IN) ? readFileSync(CHECKED_IN, 'utf8') : '(missing)';
    if (checkedIn !== text) {
      throw new Error(
        `apps/matrix-api-gateway/openapi.json is not the document the controllers and DTO classes generate; ` +
          `regenerate it with \`${REGENERATE}\` and check it in`,
      );
    }
    expect(checkedIn).toBe(text);
  });

  it('describes exactly the routes the registry, ingest key, sensor data, event log, SQL role, access key, SQL sink, subscription, seat, incident and workforce controllers serve', () => {
    const documented = operations(OPENAPI_DOCUMENT).map(({ route }) => route);
    expect(documented.sort()).toEqual(
      [
        ...declaredRoutes(IngestKeysController),
        ...declaredRoutes(RegistryController),
        ...declaredRoutes(SensorDataController),
        ...declaredRoutes(EventLogsController),
        ...declaredRoutes(SqlRolesController),
        ...declaredRoutes(PropertyAccessKeysController),
        ...declaredRoutes(SqlSinksController),
        ...declaredRoutes(SubscriptionsController),
        ...declaredRoutes(SeatsController),
        ...declaredRoutes(IncidentsController),
        ...declaredRoutes(ShiftsController),
        ...declaredRoutes(AvailabilityController),
        ...declaredRoutes(TaskGroupsController),
        ...declaredRoutes(ZoneWorkController),
        ...declaredRoutes(SolutionsController),
      ].sort(),
    );
  });

  it('is served by the documentation controller', () => {
    expect(declaredRoutes(OpenApiController).sort()).toEqual(['GET /v1/docs', 'GET /v1/openapi.json']);
    expect(new OpenApiController().document()).toBe(OPENAPI_DOCUMENT);
  });

  it('gives every operation a unique operationId, tags, a success answer and its problems', () => {
    const all = operations(OPENAPI_DOCUMENT);
    const ids = all.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(all.length);
    for (const { route, operation } of all) {
      const statuses = Object.keys(operation.responses);
      expect({ route, id: typeof operation.operationId, tags: operation.tags?.length ?? 0 }).toEqual({
        route,
        id: 'string',
        tags: 1,
      });
      expect({ route, success: statuses.some((s) => /^2\d\d$/.test(s)) }).toEqual({ route, success: true });
      expect({ route, problems: ['400', '401', '404', '429'].filter((s) => !statuses.includes(s)) }).toEqual({
        route,
        problems: [],
      });
    }
  });

  it('declares OpenAPI 3, the security schemes every operation needs and the problem schema', () => {
    expect(OPENAPI_DOCUMENT.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(OPENAPI_DOCUMENT.security).toEqual([
      { scHmac: [] },
      { basic: [] },
      { bearer: [] },
      { apiKey: [] },
    ]);
    expect(Object.keys(OPENAPI_DOCUMENT.components?.securitySchemes ?? {}).sort()).toEqual([
      'apiKey',
      'basic',
      'bearer',
      'scHmac',
    ]);
    expect(OPENAPI_DOCUMENT.components?.schemas?.['Problem']).toBeDefined();
  });

  it('is a valid OpenAPI document (the schema check of @readme/openapi-parser)', () => {
    // Its own Node process: the parser is an ES module, which Jest's module registry does not load.
    const check = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { validate } from '@readme/openapi-parser';\n" +
          'let text = "";\nfor await (const chunk of process.stdin) text += chunk;\n' +
          'const result = await validate(JSON.parse(text));\n' +
          'process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors ?? [] }));\n',
      ],
      { cwd: __dirname, input: JSON.stringify(generated), encoding: 'utf8' },
    );
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout)).toEqual({ valid: true, errors: [] });
  });

  it('points every $ref at a defined component', () => {
    const text = JSON.stringify(OPENAPI_DOCUMENT);
    const refs = [...text.matchAll(/"#\/components\/(schemas|responses)\/([A-Za-z]+)"/g)];
    expect(refs.length).toBeGreaterThan(0);
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
