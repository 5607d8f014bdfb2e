import { INCIDENT_PRIORITIES, type IncidentPriority } from './incident-lifecycle';
import { text, wrong, type Args } from '../ops/args';

/* The request values only incident ops read; the generic readers are in ops/args.ts. */

/** An incident id: the documented epoch-ms based string of digits (`"1660643173874880217"`). */
export function incidentId(args: Args, name = 'IncidentId', path = name): string {
  const id = text(args, name, path);
  if (!/^[0-9]{13,19}$/.test(id)) throw wrong(path, 'must be an incident id (13 to 19 digits)');
  return id;
}

export function priority(args: Args, name: string, path = name): IncidentPriority {
  const value = text(args, name, path);
  if (!(INCIDENT_PRIORITIES as readonly string[]).includes(value)) {
    throw wrong(path, `must be one of ${INCIDENT_PRIORITIES.join(', ')}`);
  }
  return value as IncidentPriority;
}
