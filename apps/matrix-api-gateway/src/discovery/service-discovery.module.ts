import { Module, type DynamicModule } from '@nestjs/common';
import type { ActionModuleDeclaration } from '../actions/action-modules';
import { ModuleVersionsController } from './module-versions.controller';
import { ACTION_MODULE_DECLARATIONS, ModuleVersionsService } from './module-versions.service';

/**
 * Service discovery (`GET /matrix/utils/modules/moduleversions.json`) for the actions API's modules.
 * Not Nest's `DiscoveryModule` (@nestjs/core), which finds providers; this one tells SDKs where we are.
 */
@Module({})
export class ServiceDiscoveryModule {
  /** `modules`: the declarations the actions API is built from (`ActionsModule.forRoot({ modules })`). */
  static forRoot(modules: readonly ActionModuleDeclaration[]): DynamicModule {
    return {
      module: ServiceDiscoveryModule,
      controllers: [ModuleVersionsController],
      providers: [ModuleVersionsService, { provide: ACTION_MODULE_DECLARATIONS, useValue: modules }],
    };
  }
}
