import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { SensorDataModule } from '../sensor-data/sensor-data.module';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';

@Module({
  imports: [RegistryModule, SensorDataModule],
  controllers: [ActionsController],
  providers: [ActionsService],
})
export class ActionsModule {}
