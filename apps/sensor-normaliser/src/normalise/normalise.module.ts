import { Module } from '@nestjs/common';
import { RawReadingHandler } from './raw-reading.handler';

@Module({ providers: [RawReadingHandler] })
export class NormaliseModule {}
