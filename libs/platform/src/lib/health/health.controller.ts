import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { HealthRegistry } from './health-registry';

@Controller('health')
export class HealthController {
  constructor(
    private readonly registry: HealthRegistry,
    // Through the app's HTTP adapter, not a framework's response type: services run on Express or Fastify.
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** The process is alive (k8s liveness). */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Its dependencies answer (k8s readiness): 200 or 503 with each check. */
  @Get('ready')
  async ready(@Res() response: unknown): Promise<void> {
    const report = await this.registry.readiness();
    this.adapterHost.httpAdapter.reply(
      response,
      { status: report.ready ? 'ok' : 'unavailable', ...report },
      report.ready ? 200 : 503,
    );
  }
}
