import type { ModuleRef } from '@nestjs/core';
import type { ActionModuleDeclaration } from '../actions/action-modules';
import type { LocalActionModule } from '../actions/action.types';
import type { MatrixApiGatewayConfig } from '../config/matrix-api-gateway.config';
import { ModuleVersionsService } from './module-versions.service';

class WidgetsActions implements LocalActionModule {
  readonly module = 'scwidgets';
  readonly ops = {};
}

const DECLARATIONS: ActionModuleDeclaration[] = [
  WidgetsActions,
  { module: 'scteamsprop', opPrefix: 'scpropteams.', forwardTo: 'test.members.action.v1' },
  { module: 'scapples', opPrefix: 'scapples.', forwardTo: 'test.apples.action.v1' },
];

function service(publicBase: string | undefined) {
  const lookedUp: unknown[] = [];
  const moduleRef = {
    get: (type: unknown, options: unknown) => {
      lookedUp.push({ type, options });
      return new WidgetsActions();
    },
  } as unknown as ModuleRef;
  const config = { discovery: { publicBase } } as MatrixApiGatewayConfig;
  return { service: new ModuleVersionsService(config, DECLARATIONS, moduleRef), lookedUp };
}

describe('ModuleVersionsService', () => {
  it('announces every declared module, local (by its handle) and forwarded, sorted, under the Host', () => {
    const { service: versions, lookedUp } = service(undefined);
    expect(versions.answer('gw.local:8080')).toEqual({
      base: 'gw.local:8080/prod/v2',
      modules: {
        scapples: { version: 'v1' },
        scteamsprop: { version: 'v1' },
        scwidgets: { version: 'v1' },
      },
    });
    // The handler instance is found wherever its feature module provides it.
    expect(lookedUp).toEqual([{ type: WidgetsActions, options: { strict: false } }]);
    versions.answer('gw.local:8080');
    expect(lookedUp).toHaveLength(1);
  });

  it('answers the configured GATEWAY_PUBLIC_BASE whatever the Host says, even without one', () => {
    const { service: versions } = service('api.example.com/prod/v2');
    expect(versions.answer('evil.example').base).toBe('api.example.com/prod/v2');
    expect(versions.answer(undefined).base).toBe('api.example.com/prod/v2');
  });
});
