import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { RawReadingHandler } from './raw-reading.handler';

@Module({ imports: [DirectoryModule], providers: [RawReadingHandler] })
export class NormaliseModule {}
