import { Global, Module, type DynamicModule } from '@nestjs/common';
import { Clock, SystemClock } from './clock';
import { ClockControl } from './clock-control';

/** The service's {@link Clock}; with `control` also the command that advances it (`CLOCK_CONTROL=on`). */
@Global()
@Module({})
export class ClockModule {
  static forRoot(options: { control: boolean }): DynamicModule {
    return {
      module: ClockModule,
      providers: [{ provide: Clock, useClass: SystemClock }, ...(options.control ? [ClockControl] : [])],
      exports: [Clock],
    };
  }
}
