// The bench building, as the ingest benchmarks seed it: `slots` device slots in DEVICE_SLOTS and `keys` ingest
// keys of it in INGEST_KEYS (hashes only, as the gateway writes them), through NATS KV.
import { createHash, randomBytes } from 'node:crypto';
import { Kvm } from '@nats-io/kv';
import { slotEntry } from './points.mjs';

/** FNV-1a, 32 bits, of a string's UTF-16 code units (as libs/contracts/src/sensor/sensor-subjects.ts). */
export function fnv1a32(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * Seeds one building of `slots` device slots (of `mix`) and `keys` ingest keys of it. With `spread` > 0, key i's
 * id is drawn until its lane falls in partition i mod `spread` (the lane's partition is FNV-1a of the key id,
 * sensorRawPartition in libs/contracts; the ids are safe subject tokens, so encoded as they are).
 * Answers the building and each key's `Authorization: Bearer` token (`mik_<id>_<secret>`).
 */
export async function seedBenchBuilding(nc, ns, { slots, keys, mix, spread = 0 }) {
  const building = { pid: randomBytes(16).toString('hex'), propId: 'bench-property', org: 'BENCH' };
  const kvm = new Kvm(nc);
  const slotsKv = await kvm.open(ns.stream('DEVICE_SLOTS'));
  for (let from = 0; from < slots; from += 500) {
    const puts = [];
    for (let i = from; i < Math.min(slots, from + 500); i++) {
      const entry = slotEntry(i, building, mix);
      puts.push(slotsKv.put(entry.Alias, JSON.stringify(entry)));
    }
    await Promise.all(puts);
  }
  const keysKv = await kvm.open(ns.stream('INGEST_KEYS'));
  const tokens = [];
  for (let i = 0; i < keys; i++) {
    let keyId;
    do {
      keyId = Array.from(randomBytes(12), (b) => 'abcdefghijklmnopqrstuvwxyz234567'[b & 31]).join('');
    } while (spread > 0 && fnv1a32(keyId) % spread !== i % spread);
    const secret = randomBytes(32).toString('base64url');
    await keysKv.put(
      keyId,
      JSON.stringify({
        id: keyId,
        pid: building.pid,
        provider: 'SMARTCLEAN',
        name: `bench gateway ${i + 1}`,
        secretHash: createHash('sha256').update(secret, 'utf8').digest('hex'),
        createdAt: new Date().toISOString(),
      }),
    );
    tokens.push(`mik_${keyId}_${secret}`);
  }
  return { building, keys: tokens };
}
