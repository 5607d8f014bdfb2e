import { Module } from '@nestjs/common';
import { PrincipalsModule } from '../principals/principals.module';
import { MatrixEventsHandler } from './matrix-events.handler';
import { MatrixEventsRepository } from './matrix-events.repository';

/** MATRIX_EVENTS → `matrix.events`. */
@Module({ imports: [PrincipalsModule], providers: [MatrixEventsHandler, MatrixEventsRepository] })
export class MatrixEventsModule {}
