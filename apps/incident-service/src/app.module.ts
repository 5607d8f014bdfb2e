import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@matrix/messaging';
import { PersistenceModule } from '@matrix/persistence';
import { PlatformModule } from '@matrix/platform';
import type { IncidentServiceConfig } from './config/incident-service.config';
import { IncidentsModule } from './incidents/incidents.module';
import { persistenceOptions } from './persistence-options';

@Module({})
export class AppModule {
  static forRoot(config: IncidentServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        MessagingModule.forRoot({ ...config.nats, name: config.service }),
        PersistenceModule.forRoot(persistenceOptions(config)),
        PlatformModule.forRoot({ service: config.service, logLevel: config.logLevel }),
        IncidentsModule,
      ],
    };
  }
}
