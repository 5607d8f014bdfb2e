import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { explainStorageError, planCapacity, refuseTrim, type CapacityPlan } from './capacity';
import type { ConsumerSpec, Namespace, StreamSpec, Topology } from './topology.types';

export interface ProvisionOptions {
  /** Copies of every stream: 1 on a single server, 3 on a 3-node JetStream cluster (survives losing a node). */
  replicas?: number;
  /**
   * `max_bytes` and `max_age` of every stream (`planCapacity`); default: the streams' shares of
   * `SMALL_JETSTREAM_BUDGET`, for tests and tools. `matrix-cli provision` plans the deployment's budget.
   */
  capacity?: CapacityPlan;
}

export interface ProvisionReport {
  streams: { name: string; action: 'created' | 'updated'; maxBytes: number; discard: 'new' | 'old' }[];
  consumers: { name: string; action: 'created' | 'updated' }[];
}

function streamConfig(
  spec: StreamSpec,
  ns: Namespace,
  replicas: number,
  capacity: CapacityPlan,
): Partial<StreamConfig> & { name: string } {
  return {
    name: ns.stream(spec.name),
    description: spec.description,
    subjects: [...spec.subjects.map((s) => ns.subject(s)), ...(spec.rawSubjects?.(ns) ?? [])],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    // Applied on update too: an upgrade puts the limits on streams created before they existed.
    discard: spec.discard === 'new' ? DiscardPolicy.New : DiscardPolicy.Old,
    max_bytes: capacity.maxBytes(spec.name),
    max_age: nanos(capacity.maxAgeMs(spec)),
    duplicate_window: nanos(spec.duplicateWindowMs),
    num_replicas: replicas,
  };
}

/** Consumer configuration on the wire; nats-server 2.9 takes one `filter_subject`. */
export function consumerConfig(
  spec: ConsumerSpec,
  ns: Namespace,
): Partial<ConsumerConfig> & { durable_name: string } {
  if (spec.filterSubjects.length > 1) {
    throw new Error(`consumer ${spec.durable}: one filter subject at most (nats-server 2.9)`);
  }
  if (spec.backoffMs.length > 0 && spec.backoffMs.length >= spec.maxDeliver) {
    throw new Error(`consumer ${spec.durable}: backoff needs fewer steps than max_deliver`);
  }
  const config: Partial<ConsumerConfig> & { durable_name: string } = {
    durable_name: ns.durable(spec.durable),
    description: spec.description,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: spec.deliverFrom === 'new' ? DeliverPolicy.New : DeliverPolicy.All,
    // With a backoff list the server uses its first step as the ack wait; keep both equal on purpose.
    ack_wait: nanos(spec.backoffMs[0] ?? spec.ackWaitMs),
    max_deliver: spec.maxDeliver,
    backoff: spec.backoffMs.map((ms) => nanos(ms)),
    max_ack_pending: spec.maxAckPending,
  };
  const filter = spec.filterSubjects[0];
  if (filter) config.filter_subject = ns.subject(filter);
  return config;
}

function isNotFound(error: unknown): boolean {
  const text = String((error as { message?: string })?.message ?? error);
  return /not found/i.test(text);
}

/** Creates or updates every stream and durable consumer of `topology`; safe to run any number of times. */
export async function provisionTopology(
  jsm: JetStreamManager,
  topology: Topology,
  ns: Namespace,
  options: ProvisionOptions = {},
): Promise<ProvisionReport> {
  const report: ProvisionReport = { streams: [], consumers: [] };
  const capacity = options.capacity ?? planCapacity(topology.streams, []);
  for (const spec of topology.streams) {
    const config = streamConfig(spec, ns, options.replicas ?? 1, capacity);
    const limits = { maxBytes: config.max_bytes!, discard: spec.discard };
    try {
      let held: number;
      try {
        held = (await jsm.streams.info(config.name)).state.bytes;
      } catch (error) {
        if (!isNotFound(error)) throw error;
        await jsm.streams.add(config);
        report.streams.push({ name: config.name, action: 'created', ...limits });
        continue;
      }
      refuseTrim(`stream ${config.name}`, held, limits.maxBytes);
      await jsm.streams.update(config.name, config);
      report.streams.push({ name: config.name, action: 'updated', ...limits });
    } catch (error) {
      throw explainStorageError(`stream ${config.name}`, limits.maxBytes, error);
    }
  }
  for (const spec of topology.consumers) {
    const stream = ns.stream(spec.stream);
    const config = consumerConfig(spec, ns);
    try {
      await jsm.consumers.info(stream, config.durable_name);
      await jsm.consumers.update(stream, config.durable_name, config);
      report.consumers.push({ name: config.durable_name, action: 'updated' });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.consumers.add(stream, config);
      report.consumers.push({ name: config.durable_name, action: 'created' });
    }
  }
  return report;
}

/** Deletes the streams of `topology` (their consumers go with them). For tests and teardown. */
export async function deleteTopology(
  jsm: JetStreamManager,
  topology: Topology,
  ns: Namespace,
): Promise<void> {
  for (const spec of topology.streams) {
    try {
      await jsm.streams.delete(ns.stream(spec.name));
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}
