import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@matrix/messaging';
import { PlatformModule } from '@matrix/platform';
import { PUSH_INGRESS_CONFIG, type PushIngressConfig } from './config/push-ingress.config';
import { IngestModule } from './ingest/ingest.module';

@Module({})
export class AppModule {
  static forRoot(config: PushIngressConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        IngestModule,
        MessagingModule.forRoot({ ...config.nats, name: 'push-ingress' }),
        PlatformModule.forRoot({ service: 'push-ingress', logLevel: config.logLevel }),
      ],
      providers: [{ provide: PUSH_INGRESS_CONFIG, useValue: config }],
      exports: [PUSH_INGRESS_CONFIG],
    };
  }
}
