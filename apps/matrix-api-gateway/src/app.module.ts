import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MessagingModule } from '@matrix/messaging';
import { PersistenceModule } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import { ActionsModule } from './actions/actions.module';
import { AuthModule } from './auth/auth.module';
import { GATEWAY_CONFIG } from './config/gateway-config.token';
import { GatewayExceptionFilter } from './gateway-exception.filter';
import type { MatrixApiGatewayConfig } from './config/matrix-api-gateway.config';
import { persistenceOptions } from './persistence-options';
import { RestModule } from './rest/rest.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

@Module({})
export class AppModule {
  static forRoot(config: MatrixApiGatewayConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        ActionsModule,
        AuthModule.forRoot(config.auth),
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        PersistenceModule.forRoot(persistenceOptions(config)),
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
        RestModule,
        SubscriptionsModule,
      ],
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: APP_FILTER, useClass: GatewayExceptionFilter },
      ],
      exports: [GATEWAY_CONFIG],
    };
  }
}
