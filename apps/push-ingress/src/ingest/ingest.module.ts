import { Module } from '@nestjs/common';
import { IngestAuthModule } from '../auth/ingest-auth.module';
import { IngestService } from './ingest.service';
import { SensorDataController } from './sensor-data.controller';

@Module({
  imports: [IngestAuthModule],
  controllers: [SensorDataController],
  providers: [IngestService],
})
export class IngestModule {}
