import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Database } from '@matrix/persistence';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import type { MatrixApiGatewayConfig } from '../config/matrix-api-gateway.config';
import { MEDIA_STORE, type MediaStore } from './media-store';
import { PostgresMediaStore } from './postgres-media-store';
import { S3MediaStore } from './s3-media-store';

/** The configured media store (`MEDIA_STORE`), under {@link MEDIA_STORE}. */
@Module({
  providers: [
    {
      provide: MEDIA_STORE,
      inject: [GATEWAY_CONFIG, Database],
      useFactory: (config: MatrixApiGatewayConfig, db: Database): MediaStore =>
        config.media.store === 's3' ? new S3MediaStore(config.media.s3) : new PostgresMediaStore(db),
    },
  ],
  exports: [MEDIA_STORE],
})
export class MediaModule implements OnApplicationShutdown {
  constructor(@Inject(MEDIA_STORE) private readonly store: MediaStore) {}

  onApplicationShutdown(): void {
    if (this.store instanceof S3MediaStore) this.store.close();
  }
}
