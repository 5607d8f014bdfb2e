import { Module } from '@nestjs/common';
import { PrincipalDirectory } from '@matrix/messaging';
import { MatrixEventsHandler } from './matrix-events.handler';
import { MatrixEventsRepository } from './matrix-events.repository';

/** MATRIX_EVENTS → `matrix.events`. */
@Module({ providers: [MatrixEventsHandler, MatrixEventsRepository, PrincipalDirectory] })
export class MatrixEventsModule {}
