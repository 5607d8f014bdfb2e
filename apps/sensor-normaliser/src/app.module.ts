import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@matrix/messaging';
import { PlatformModule } from '@matrix/platform';
import type { SensorNormaliserConfig } from './config/sensor-normaliser.config';
import { NormaliseModule } from './normalise/normalise.module';

@Module({})
export class AppModule {
  static forRoot(config: SensorNormaliserConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        NormaliseModule,
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
      ],
    };
  }
}
