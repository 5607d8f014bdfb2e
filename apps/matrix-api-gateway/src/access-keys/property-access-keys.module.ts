import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { IdempotencyInterceptor } from '../rest/idempotency.interceptor';
import { PropertyAccessKeysController } from './property-access-keys.controller';
import { PropertyAccessKeysService } from './property-access-keys.service';

/**
 * REST `/v1/properties/{propId}/access-keys` (issue 16 item 4): list, issue, rotate and revoke a
 * property's API credentials. `CredentialsService` comes from the global `CredentialsModule`.
 */
@Module({
  imports: [RegistryModule],
  controllers: [PropertyAccessKeysController],
  providers: [IdempotencyInterceptor, PropertyAccessKeysService],
})
export class PropertyAccessKeysModule {}
