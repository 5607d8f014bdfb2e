import { Module } from '@nestjs/common';
import { ShiftDefinitionActions } from './shift-definition-actions';
import { ShiftDefinitionsRepository } from './shift-definitions.repository';

/**
 * Property shift definitions: their op group of the workforce actions API (composed by actions/) and
 * `workforce.property_shift_definitions`. Publishes no event.
 */
@Module({
  providers: [ShiftDefinitionActions, ShiftDefinitionsRepository],
  exports: [ShiftDefinitionActions, ShiftDefinitionsRepository],
})
export class ShiftDefinitionsModule {}
