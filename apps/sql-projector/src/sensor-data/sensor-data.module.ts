import { Module } from '@nestjs/common';
import { PrincipalsModule } from '../principals/principals.module';
import { SensorDataHandler } from './sensor-data.handler';
import { SensorDataRepository } from './sensor-data.repository';

@Module({ imports: [PrincipalsModule], providers: [SensorDataHandler, SensorDataRepository] })
export class SensorDataModule {}
