import { Module } from '@nestjs/common';
import { OpenApiController } from './openapi.controller';

/** REST v1's cross-cutting pieces: the OpenAPI document (each feature module serves its own resources). */
@Module({
  controllers: [OpenApiController],
})
export class RestModule {}
