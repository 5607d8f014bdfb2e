import { CreateWorkforceSchema1764115200003 } from './1764115200003-create-workforce-schema';

/** incident-service's migrations, in order. */
export const INCIDENT_SERVICE_MIGRATIONS = [CreateWorkforceSchema1764115200003];
