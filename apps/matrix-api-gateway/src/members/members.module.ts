import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SeatsService } from '../seats/seats.service';
import { MembersActions } from './members.actions';

/**
 * The members module of the actions API (`scteamsprop`): read-only views of the seats incident-service
 * owns, through the same SeatsService (tenancy checks and commands) as REST `/v1/properties/{propId}/seats`.
 */
@Module({
  imports: [RegistryModule],
  providers: [MembersActions, SeatsService],
  exports: [MembersActions],
})
export class MembersModule {}
