import { Module } from '@nestjs/common';
import { JetStreamCapacityCollector } from './jetstream-capacity.collector';

/** The JetStream capacity gauges (docs/operations.md, Capacity): exported by the gateway only. */
@Module({ providers: [JetStreamCapacityCollector], exports: [JetStreamCapacityCollector] })
export class JetStreamCapacityModule {}
