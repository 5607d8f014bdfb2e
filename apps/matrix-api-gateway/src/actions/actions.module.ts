import { Module, type DynamicModule, type ModuleMetadata, type Type } from '@nestjs/common';
import { ActionForwarder } from './action-forwarder';
import { ActionModuleRegistry, isForwarded, type ActionModuleDeclaration } from './action-modules';
import type { LocalActionModule } from './action.types';
import { ActionsController } from './actions.controller';
import { ActionsService } from './actions.service';

/** Options of {@link ActionsModule.forRoot}. */
export interface ActionsModuleOptions {
  /** The feature modules that provide (and export) the local handler classes. */
  readonly imports: NonNullable<ModuleMetadata['imports']>;
  /** Every module of the actions API: a local handler class, or a forwarded module's declaration. */
  readonly modules: readonly ActionModuleDeclaration[];
}

/**
 * The Matrix actions API surface (`POST /prod/v2/<module>/<version>/actions`): authentication, query and
 * body checks, envelopes, and the module registry. It knows no feature: the app declares the modules.
 */
@Module({})
export class ActionsModule {
  static forRoot(options: ActionsModuleOptions): DynamicModule {
    const local = options.modules.filter((m): m is Type<LocalActionModule> => !isForwarded(m));
    const forwarded = options.modules.filter(isForwarded);
    return {
      module: ActionsModule,
      imports: options.imports,
      controllers: [ActionsController],
      providers: [
        ActionForwarder,
        ActionsService,
        {
          provide: ActionModuleRegistry,
          useFactory: (...handlers: LocalActionModule[]) => new ActionModuleRegistry(handlers, forwarded),
          inject: local,
        },
      ],
    };
  }
}
