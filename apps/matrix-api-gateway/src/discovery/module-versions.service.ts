import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { ActionModuleDeclaration } from '../actions/action-modules';
import { GATEWAY_CONFIG } from '../config/gateway-config.token';
import type { MatrixApiGatewayConfig } from '../config/matrix-api-gateway.config';
import { baseOfHost, moduleVersions, type ModuleVersions } from './module-versions';
import { servedActions } from './served-actions';

/** Injection token of the actions API's module declarations (the app's `ACTION_MODULES`). */
export const ACTION_MODULE_DECLARATIONS = Symbol('ACTION_MODULE_DECLARATIONS');

/**
 * This deployment's `moduleversions.json`: every module the actions API serves (the declarations its
 * registry is built from) under the configured `GATEWAY_PUBLIC_BASE`, else the request's `Host`.
 */
@Injectable()
export class ModuleVersionsService {
  private modules?: readonly string[];

  constructor(
    @Inject(GATEWAY_CONFIG) private readonly config: MatrixApiGatewayConfig,
    @Inject(ACTION_MODULE_DECLARATIONS) private readonly declarations: readonly ActionModuleDeclaration[],
    private readonly moduleRef: ModuleRef,
  ) {}

  answer(host: string | undefined): ModuleVersions {
    return moduleVersions(this.config.discovery.publicBase ?? baseOfHost(host), this.served());
  }

  /**
   * Read on the first request, when every local handler exists: they are provided by their features'
   * modules, which this one does not import (hence the non-strict look-up).
   */
  private served(): readonly string[] {
    this.modules ??= servedActions(this.declarations, (type) =>
      this.moduleRef.get(type, { strict: false }),
    ).modules;
    return this.modules;
  }
}
