import { Module } from '@nestjs/common';
import { SensorDataHandler } from './sensor-data.handler';
import { SensorDataRepository } from './sensor-data.repository';

@Module({ providers: [SensorDataHandler, SensorDataRepository] })
export class SensorDataModule {}
