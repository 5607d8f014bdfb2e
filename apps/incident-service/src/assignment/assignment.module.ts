import { Module } from '@nestjs/common';
import { AssignmentActions } from './assignment-actions';
import { AssignmentRepository } from './assignment.repository';

/**
 * Auto-assignment of open incidents (docs/data-formats.md "Auto-assignment"): `AssignmentRepository`
 * decides, in an incident create's transaction, which seat on shift takes it (round-robin, state in
 * `workforce.auto_assign_*`), and the op group of the two availability-for-incident ops (composed by
 * actions/). Imported by incidents/ (the create) — it imports none of incidents/ itself.
 */
@Module({
  providers: [AssignmentActions, AssignmentRepository],
  exports: [AssignmentActions, AssignmentRepository],
})
export class AssignmentModule {}
