import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';

@Module({
  imports: [RegistryModule],
  controllers: [ActionsController],
  providers: [ActionsService],
})
export class ActionsModule {}
