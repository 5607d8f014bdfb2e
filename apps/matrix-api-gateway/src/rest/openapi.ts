import type { OpenAPIObject } from '@nestjs/swagger';

/*
 * The REST v1 contract as served: the checked-in apps/matrix-api-gateway/openapi.json, which
 * @nestjs/swagger generates from the feature modules' controllers and DTO classes
 * (openapi-document.ts). `openapi.spec.ts` fails when the file and the code differ; regenerate it with
 * `UPDATE_DOCS=1 npx jest -c apps/matrix-api-gateway/jest.config.cjs openapi`.
 * (A require, not an import: the shared tsconfig has no resolveJsonModule; esbuild bundles the file.)
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const OPENAPI_DOCUMENT: OpenAPIObject = require('../../openapi.json');
