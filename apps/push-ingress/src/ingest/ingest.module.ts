import { Module } from '@nestjs/common';
import { IngestService } from './ingest.service';
import { SensorDataController } from './sensor-data.controller';

@Module({
  controllers: [SensorDataController],
  providers: [IngestService],
})
export class IngestModule {}
