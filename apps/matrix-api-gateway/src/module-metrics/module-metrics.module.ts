import { Module } from '@nestjs/common';
import { RegistryModule } from '../registry/registry.module';
import { ModuleMetricsService } from './module-metrics.service';

/**
 * The `scmetrics` module metrics and named queries: the service the module's handler (`MetricsActions`,
 * sensor-data) merges these ops from.
 */
@Module({
  imports: [RegistryModule],
  providers: [ModuleMetricsService],
  exports: [ModuleMetricsService],
})
export class ModuleMetricsModule {}
