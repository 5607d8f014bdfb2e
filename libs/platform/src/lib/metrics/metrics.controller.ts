import { Controller, Get, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { MetricsService } from './metrics.service';

@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    // Through the app's HTTP adapter, not a framework's response type: services run on Express or Fastify.
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** Prometheus text exposition. */
  @Get()
  async scrape(@Res() response: unknown): Promise<void> {
    const { httpAdapter } = this.adapterHost;
    const text = await this.metrics.registry.metrics();
    httpAdapter.setHeader(response, 'Content-Type', this.metrics.registry.contentType);
    httpAdapter.reply(response, text, 200);
  }
}
