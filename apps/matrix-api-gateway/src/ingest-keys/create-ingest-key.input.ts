import 'reflect-metadata';
import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { INGEST_PROVIDER_PATTERN } from '@matrix/contracts';

/** `POST /v1/buildings/{pid}/ingest-keys`. */
export class CreateIngestKeyInput {
  /** A label, e.g. the physical gateway the key is installed on. */
  @ApiProperty({
    type: String,
    description: 'label, e.g. the gateway it is installed on',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
  @ApiProperty({
    type: String,
    description: 'limit the key to this provider, e.g. SMARTCLEAN',
    pattern: '^[A-Za-z0-9_-]{1,64}$',
    required: false,
  })
  @IsOptional()
  @IsString()
  @Matches(INGEST_PROVIDER_PATTERN, { message: 'must look like SMARTCLEAN (1–64 of A-Z a-z 0-9 _ -)' })
  provider?: string;
}
