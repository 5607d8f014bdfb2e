import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@matrix/messaging';
import { PersistenceModule } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import type { EventRouterConfig } from './config/event-router.config';
import { ROUTER_CONFIG } from './config/router-config.token';
import { DeliveryModule } from './delivery/delivery.module';
import { persistenceOptions } from './persistence-options';
import { RoutingModule } from './routing/routing.module';
import { SubscriptionsModule } from './subscriptions/subscriptions.module';

@Module({})
export class AppModule {
  static forRoot(config: EventRouterConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        DeliveryModule,
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        PersistenceModule.forRoot(persistenceOptions(config)),
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
        RoutingModule,
        SubscriptionsModule,
      ],
      providers: [{ provide: ROUTER_CONFIG, useValue: config }],
      exports: [ROUTER_CONFIG],
    };
  }
}
