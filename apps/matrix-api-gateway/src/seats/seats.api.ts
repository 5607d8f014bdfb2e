import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Text } from '../rest/api-fields';

/* Seats over REST v1 as OpenAPI: thin gateway classes for the shapes @matrix/contracts owns (SeatV1, SeatInputV1). */

const STATUSES = ['ACTIVE', 'INACTIVE'];

@ApiSchema({ name: 'SeatInput' })
export class SeatInputDto {
  @ApiProperty({ type: String, maxLength: 200, description: 'the person’s name' }) userName!: string;
  @ApiProperty({ type: String, maxLength: 200, description: 'user group, e.g. HOUSEKEEPING' })
  userGroup!: string;
  @ApiProperty({ enum: STATUSES, required: false, description: 'default ACTIVE' }) status?: string;
}

@ApiSchema({ name: 'SeatUpdate', description: 'any field of a seat' })
export class SeatUpdateDto {
  @ApiProperty({ type: String, maxLength: 200, required: false }) userName?: string;
  @ApiProperty({ type: String, maxLength: 200, required: false }) userGroup?: string;
  @ApiProperty({ enum: STATUSES, required: false }) status?: string;
}

@ApiSchema({ name: 'Seat' })
export class SeatDto {
  @Text({ description: '`<propId>_<nnn>`, numbered in creation order' }) seatId!: string;
  @Text() org!: string;
  @Text() propId!: string;
  @Text() userName!: string;
  @Text() userGroup!: string;
  @ApiProperty({ enum: STATUSES }) status!: string;
  @Text({ format: 'date-time' }) createdOn!: string;
  @Text({ format: 'date-time' }) modifiedOn!: string;
}

@ApiSchema({ name: 'SeatList' })
export class SeatListDto {
  @ApiProperty({ type: [SeatDto] }) items!: SeatDto[];
}
