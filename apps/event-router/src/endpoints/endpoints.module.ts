import { Module } from '@nestjs/common';
import type { EventRouterConfig } from '../config/event-router.config';
import { ROUTER_CONFIG } from '../config/router-config.token';
import { EndpointAuth } from './endpoint-auth';
import { TargetGuard } from './target-guard';

/**
 * Reaching a subscriber's endpoint: the SSRF target guard, the endpoint's credentials (Basic, header,
 * OAuth2 client credentials), Standard Webhooks signing and the HTTP sender that connects to the checked
 * address. Imports no feature.
 */
@Module({
  providers: [
    {
      provide: EndpointAuth,
      useFactory: (guard: TargetGuard) => new EndpointAuth(guard),
      inject: [TargetGuard],
    },
    {
      provide: TargetGuard,
      useFactory: (config: EventRouterConfig) => new TargetGuard(config.router.allowTargets),
      inject: [ROUTER_CONFIG],
    },
  ],
  exports: [EndpointAuth, TargetGuard],
})
export class EndpointsModule {}
