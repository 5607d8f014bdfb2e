import { Controller, Get, HttpCode, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HealthRegistry } from './health-registry';

@Controller('health')
export class HealthController {
  constructor(private readonly registry: HealthRegistry) {}

  /** The process is alive (k8s liveness). */
  @Get('live')
  @HttpCode(200)
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Its dependencies answer (k8s readiness): 200 or 503 with each check. */
  @Get('ready')
  async ready(@Res() response: Response): Promise<void> {
    const report = await this.registry.readiness();
    response
      .status(report.ready ? 200 : 503)
      .json({ status: report.ready ? 'ok' : 'unavailable', ...report });
  }
}
