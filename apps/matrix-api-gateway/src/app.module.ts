import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@matrix/messaging';
import { PersistenceModule } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import type { MatrixApiGatewayConfig } from './config/matrix-api-gateway.config';
import { persistenceOptions } from './persistence-options';

@Module({})
export class AppModule {
  static forRoot(config: MatrixApiGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        PersistenceModule.forRoot(persistenceOptions(config)),
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
      ],
    };
  }
}
