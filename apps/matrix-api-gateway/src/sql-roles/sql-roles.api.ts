import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { NullableText, Text, Time } from '../rest/api-fields';

/* Tenant SQL roles over REST v1 as OpenAPI (docs/sql.md, Access). */

@ApiSchema({
  name: 'SqlRoleCredentials',
  description:
    'a tenant role and its password: shown in this answer only (an Idempotency-Key replay omits it)',
})
export class SqlRoleCredentialsDto {
  @Text({ description: 'the login role, `matrix_t_` and 20 hex digits' }) role!: string;
  @Text() propId!: string;
  @ApiProperty({
    type: String,
    required: false,
    description: 'generated; cannot be shown again (rotate for a new one)',
  })
  password?: string;
  @ApiProperty({
    type: String,
    required: false,
    description: '`postgres://<role>:<password>@<host>:<port>/<database>`',
  })
  connectionString?: string;
}

@ApiSchema({ name: 'SqlRole', description: 'a tenant role of the property (never its password)' })
export class SqlRoleDto {
  @Text({ description: 'the login role, `matrix_t_` and 20 hex digits' }) role!: string;
  @Text() propId!: string;
  @Time() createdAt!: string;
  @NullableText({ format: 'date-time', description: 'last password rotation' }, true) rotatedAt!:
    string | null;
}

@ApiSchema({ name: 'SqlRoleList', description: 'the property’s tenant role (at most one)' })
export class SqlRoleListDto {
  @ApiProperty({ type: [SqlRoleDto] }) items!: SqlRoleDto[];
}
