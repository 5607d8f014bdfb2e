import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { NullableText, OptionalText, Text, Time } from '../rest/api-fields';

/* A property's access keys over REST v1 as OpenAPI (docs/authentication.md, "Managing access keys"). */

const ROLE = {
  description: 'what the key may do: `read` < `write` < `admin`',
  enum: ['read', 'write', 'admin'],
};

@ApiSchema({ name: 'NewAccessKey', description: 'the access key to issue for the property' })
export class NewAccessKeyDto {
  @ApiProperty({ type: String, ...ROLE }) role!: string;
  @OptionalText({ description: 'what the key is for, at most 200 characters' }) label?: string;
}

@ApiSchema({ name: 'AccessKey', description: 'an access key of the property (never its secret)' })
export class AccessKeyDto {
  @Text({ description: '`AK` and 20 base32 characters; not secret' }) accessKey!: string;
  @Text() propId!: string;
  @ApiProperty({ type: String, ...ROLE }) role!: string;
  @NullableText({}, true) label!: string | null;
  @Time() createdAt!: string;
  @NullableText({ format: 'date-time', description: 'when it was revoked (final)' }, true) revokedAt!:
    string | null;
  @NullableText({ format: 'date-time', description: 'last use, to the minute' }, true) lastUsedAt!:
    string | null;
}

@ApiSchema({
  name: 'IssuedAccessKey',
  description:
    'an access key with its secret: shown in this answer only (an Idempotency-Key replay omits it)',
})
export class IssuedAccessKeyDto extends AccessKeyDto {
  @ApiProperty({
    type: String,
    required: false,
    description: '43 base64url characters; cannot be shown again (rotate for a new one)',
  })
  secretKey?: string;
}

@ApiSchema({
  name: 'AccessKeyList',
  description: 'the property’s access keys, oldest first, revoked ones included',
})
export class AccessKeyListDto {
  @ApiProperty({ type: [AccessKeyDto] }) items!: AccessKeyDto[];
}
