import 'reflect-metadata';
import { IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, Matches, MinLength } from 'class-validator';
import { MATRIX_PRIORITIES, type MatrixPriority } from './matrix-event-ids';
import { routingKeyOf } from './routing-key';

/**
 * A Matrix event in the documented general data format (reference §2.4). The same object is the
 * NATS message body on `matrix.<principal>.<module>.<eventid>.<priority>`, the element of a
 * Matrix event push batch and the source of a row in `matrix.events`.
 */
export class MatrixEventV1 {
  @IsString() @MinLength(1) Principal: string;
  @IsString() Description: string;
  @IsString() @Matches(/^[A-Z0-9_]+$/) Event: string;
  @IsString() @Matches(/^matrix\.[^.]+\.[^.]+\.[^.]+\.[^.]+$/) RoutingKey: string;
  @IsString() @MinLength(1) Module: string;
  @IsIn(MATRIX_PRIORITIES) Status: MatrixPriority;
  @IsString() @Matches(/^\d+$/) UnixTime: string;
  @IsInt() UnixTimeInt: number;
  @IsObject() Meta: Record<string, unknown>;

  @IsOptional() @IsString() ID?: string;
  @IsOptional() @IsString() ATTR?: string;
  @IsOptional() @IsIn(['building', 'property', 'organisation']) PType?: string;
  @IsOptional() @IsString() Entity?: string;
  @IsOptional() @IsIn(['building', 'property', 'organisation']) EType?: string;
  @IsOptional() @IsArray() @IsString({ each: true }) RoutingKeyS?: string[];
  @IsOptional() @IsString() Time?: string;
}

export interface NewMatrixEvent {
  principal: string;
  principalType?: 'building' | 'property' | 'organisation';
  entity?: string;
  entityType?: 'building' | 'property' | 'organisation';
  module: string;
  eventId: string;
  priority: MatrixPriority;
  description: string;
  occurredAt: Date;
  meta: Record<string, unknown>;
}

/** Builds a documented Matrix event object; every routing-key field agrees with the key. */
export function buildMatrixEvent(input: NewMatrixEvent): MatrixEventV1 {
  const unix = Math.floor(input.occurredAt.getTime() / 1000);
  const routingKey = routingKeyOf({
    principal: input.principal,
    module: input.module,
    eventId: input.eventId,
    priority: input.priority,
  });
  const event: MatrixEventV1 = {
    ID: input.principal,
    Principal: input.principal,
    Description: input.description,
    Event: input.eventId,
    RoutingKey: routingKey,
    RoutingKeyS: ['matrix', input.principal, input.module, input.eventId, input.priority],
    Module: input.module,
    Status: input.priority,
    Time: `${input.module}#${unix}`,
    UnixTime: String(unix),
    UnixTimeInt: unix,
    Meta: input.meta,
  };
  if (input.principalType) event.PType = input.principalType;
  if (input.entity) event.Entity = input.entity;
  if (input.entityType) event.EType = input.entityType;
  return event;
}
