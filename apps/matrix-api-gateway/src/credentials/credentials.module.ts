import { Module, type DynamicModule } from '@nestjs/common';
import { CLOCK, systemClock, type Clock } from '../clock';
import { CredentialLookup } from './credential-lookup';
import { CredentialsRepository } from './credentials.repository';
import { CredentialsService } from './credentials.service';
import { SecretBox } from '@matrix/platform';

/** Options of {@link CredentialsModule.forRoot}. */
export interface CredentialsModuleOptions {
  /** The master key (`MATRIX_SECRET_KEY`, 32 bytes) that seals credential secrets. */
  readonly secretKey: Buffer;
  readonly clock?: Clock;
}

/** API credentials in `registry.credentials` (needs the global `Database` of PersistenceModule). */
@Module({})
export class CredentialsModule {
  static forRoot(options: CredentialsModuleOptions): DynamicModule {
    return {
      module: CredentialsModule,
      global: true,
      providers: [
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: CredentialLookup, useExisting: CredentialsService },
        CredentialsRepository,
        CredentialsService,
        { provide: SecretBox, useFactory: () => new SecretBox(options.secretKey) },
      ],
      exports: [CredentialLookup, CredentialsService],
    };
  }
}
