import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { OpenApiController } from './openapi.controller';
import { RegistryController } from './registry.controller';
import { IdempotencyInterceptor } from './idempotency.interceptor';

@Module({
  imports: [RegistryModule],
  controllers: [OpenApiController, RegistryController],
  providers: [IdempotencyInterceptor],
})
export class RestModule {}
