import { CreateWorkforceSchema1764115200003 } from './1764115200003-create-workforce-schema';
import { CreateIncidents1765000000000 } from './1765000000000-create-incidents';
import { CreateIncidentSettings1765000000001 } from './1765000000001-create-incident-settings';
import { IncidentAttachments1765000000002 } from './1765000000002-incident-attachments';
import { IncidentsByProperty1765000000003 } from './1765000000003-incidents-by-property';
import { CreateEscalationPolicies1765000000004 } from './1765000000004-create-escalation-policies';
import { IncidentEscalationTimer1765000000005 } from './1765000000005-incident-escalation-timer';
import { DeletedSeats1765000000010 } from './1765000000010-deleted-seats';
import { OpenIncidentsByZone1765000000020 } from './1765000000020-open-incidents-by-zone';
import { CreateShifts1766000000000 } from './1766000000000-create-shifts';
import { CreateTaskGroups1766000000001 } from './1766000000001-create-task-groups';
import { ShiftQueries1766000000010 } from './1766000000010-shift-queries';
import { SeatAvailability1766000000100 } from './1766000000100-seat-availability';
import { PropertyShiftDefinitions1766000000101 } from './1766000000101-property-shift-definitions';
import { TaskGroupTimer1766000000200 } from './1766000000200-task-group-timer';
import { AutoAssignment1766000000300 } from './1766000000300-auto-assignment';
import { WorkforceSettings1766000000400 } from './1766000000400-workforce-settings';
import { CreateTimesheets1766000000500 } from './1766000000500-create-timesheets';
import { Solutions1766000000700 } from './1766000000700-solutions';
import { WaitingAutoAssigned1766000000800 } from './1766000000800-waiting-auto-assigned';
import { SolutionStateVersion1766000000900 } from './1766000000900-solution-state-version';
import { AttendanceIntegrations1766000001000 } from './1766000001000-attendance-integrations';

/** incident-service's migrations, in order. */
export const INCIDENT_SERVICE_MIGRATIONS = [
  CreateWorkforceSchema1764115200003,
  CreateIncidents1765000000000,
  CreateIncidentSettings1765000000001,
  IncidentAttachments1765000000002,
  IncidentsByProperty1765000000003,
  CreateEscalationPolicies1765000000004,
  IncidentEscalationTimer1765000000005,
  DeletedSeats1765000000010,
  OpenIncidentsByZone1765000000020,
  CreateShifts1766000000000,
  CreateTaskGroups1766000000001,
  ShiftQueries1766000000010,
  SeatAvailability1766000000100,
  PropertyShiftDefinitions1766000000101,
  TaskGroupTimer1766000000200,
  AutoAssignment1766000000300,
  WorkforceSettings1766000000400,
  CreateTimesheets1766000000500,
  Solutions1766000000700,
  WaitingAutoAssigned1766000000800,
  SolutionStateVersion1766000000900,
  AttendanceIntegrations1766000001000,
];
