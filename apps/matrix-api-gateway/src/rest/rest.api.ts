import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiQuery,
  ApiResponse,
  ApiSchema,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';

/** RFC 9457 problem details, the body of every REST v1 failure (rest-exception.filter.ts). */
@ApiSchema({ name: 'Problem' })
export class ProblemDto {
  @ApiProperty({ type: String }) type!: string;
  @ApiProperty({ type: String }) title!: string;
  @ApiProperty({ type: 'integer' }) status!: number;
  @ApiProperty({ type: String }) detail!: string;
  @ApiPropertyOptional({
    type: [String],
    description: 'each problem with the input, e.g. `name: is required`',
  })
  errors?: string[];
}

const WHY: Record<number, string> = {
  400: 'invalid request (problem details name each problem)',
  401: 'no valid credential',
  403: 'the credential’s role is too weak',
  404: 'not found, or not the credential’s to see',
  409: 'conflict',
  422: 'a limit is violated, or the Idempotency-Key was used for another request',
  429: 'rate limited (Retry-After)',
  503: 'a service behind the gateway did not answer (Retry-After)',
};

/** The problem responses an operation may answer (default: those of every authenticated operation). */
export const ApiProblems = (...statuses: number[]) =>
  applyDecorators(
    ApiExtraModels(ProblemDto),
    ...(statuses.length ? statuses : [400, 401, 404, 429]).map((status) =>
      ApiResponse({
        status,
        description: WHY[status] ?? 'problem',
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );

/** `Idempotency-Key` on a REST POST (idempotency.interceptor.ts). */
export const ApiIdempotencyKey = (
  description = 'retry-safe POST: a retry with the same key answers the first answer',
) =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description,
    schema: { type: 'string', maxLength: 255 },
  });

/** `?cursor=&limit=` of a keyset-paginated list. */
export const ApiPaging = (limit: { maximum?: number; description?: string } = {}) =>
  applyDecorators(
    ApiQuery({ name: 'cursor', required: false, type: String, description: 'from the previous page' }),
    ApiQuery({
      name: 'limit',
      required: false,
      schema: { type: 'integer', minimum: 1, ...(limit.maximum ? { maximum: limit.maximum } : {}) },
      description: limit.description ?? 'page size',
    }),
  );

/** One REST v1 operation: its operationId, tag and summary. */
export const ApiOp = (tag: string, operationId: string, summary: string) =>
  applyDecorators(ApiTags(tag), ApiOperation({ operationId, summary }));

/** A success answer of a REST v1 operation. */
export const ApiAnswer = (status: 200 | 201 | 202, type: Type<unknown>) =>
  ApiResponse({ status, description: { 200: 'OK', 201: 'Created', 202: 'Accepted' }[status], type });
/** 204: done, nothing to answer. */
export const ApiNoContent = (description = 'Done') => ApiResponse({ status: 204, description });
