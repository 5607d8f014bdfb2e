import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { Type } from '@nestjs/common';

/* Shorthands for the REST v1 DTO classes' @nestjs/swagger decorators (no Nest CLI plugin here: every
 * property is described explicitly). */

type Extra = { description?: string; format?: string; pattern?: string; minimum?: number; maximum?: number };

/** A required string. */
export const Text = (extra: Extra = {}) => ApiProperty({ type: String, ...extra });
/** An optional string (absent when not set). */
export const OptionalText = (extra: Extra = {}) => ApiProperty({ type: String, required: false, ...extra });
/** A string or null. */
export const NullableText = (extra: Extra = {}, required = false) =>
  ApiProperty({ type: String, nullable: true, required, ...extra });
/** An ISO 8601 time. */
export const Time = (required = true) =>
  ApiProperty({ type: String, format: 'date-time', description: 'ISO 8601', required });
export const Int = (extra: Extra = {}, required = true) =>
  ApiProperty({ type: 'integer', required, ...extra });
export const Num = (required = false, nullable = false, extra: Extra = {}) =>
  ApiProperty({ type: Number, required, nullable, ...extra });
export const Bool = (required = false) => ApiProperty({ type: Boolean, required });
/** A free-form JSON object. */
export const Json = (required = false, nullable = false, description?: string) =>
  ApiProperty({ type: 'object', additionalProperties: true, selfRequired: required, nullable, description });

/** `{ items, nextCursor }`: one page of `item`s (named `<name>`). */
export function PageOf(item: Type, name: string): Type {
  @ApiSchema({ name })
  class Page {
    @ApiProperty({ type: [item] }) items!: unknown[];
    @ApiProperty({
      type: String,
      nullable: true,
      description: 'pass as `cursor` for the next page; null on the last',
    })
    nextCursor!: string | null;
  }
  return Page;
}
