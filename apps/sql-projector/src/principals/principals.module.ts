import { Module } from '@nestjs/common';
import { PrincipalDirectory } from '@matrix/messaging';

/**
 * The `PRINCIPALS` directory the gateway keeps (building → organisation and property), one watch per
 * process for both projections: the property of a sensor row and of an event is the registry's, which is
 * what the tenants' row-level security trusts (docs/sql.md "Access").
 */
@Module({ providers: [PrincipalDirectory], exports: [PrincipalDirectory] })
export class PrincipalsModule {}
