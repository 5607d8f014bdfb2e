import { Module } from '@nestjs/common';
import { DeviceSlotDirectory } from './device-slot-directory';

@Module({ providers: [DeviceSlotDirectory], exports: [DeviceSlotDirectory] })
export class DirectoryModule {}
