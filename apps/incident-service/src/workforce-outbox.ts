import { defineOutbox } from '@matrix/persistence';

/**
 * `workforce.outbox` (created by CreateIncidents1765000000000 with libs/persistence's `outboxDdl`): the
 * INCIDENT_* events, written in the transaction of the change they describe (ADR-13) and published by
 * `OutboxModule.forRoot({ outbox: WORKFORCE_OUTBOX, sink: JetStreamOutboxSink })`.
 */
export const WORKFORCE_OUTBOX = defineOutbox({ schema: 'workforce' });
