import 'reflect-metadata';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { INGEST_PROVIDER_PATTERN } from '@matrix/contracts';

/** `POST /v1/buildings/{pid}/ingest-keys`. */
export class CreateIngestKeyInput {
  /** A label, e.g. the physical gateway the key is installed on. */
  @IsString() @MinLength(1) @MaxLength(200) name: string;
  @IsOptional()
  @IsString()
  @Matches(INGEST_PROVIDER_PATTERN, { message: 'must look like SMARTCLEAN (1–64 of A-Z a-z 0-9 _ -)' })
  provider?: string;
}
