import { MATRIX_SERVICE_ACCESS } from '@matrix/messaging';
import { CATALOGUE } from './catalogue';
import { overlaps, publishersOf, readersOf } from './nats-access';

/*
 * The catalogue's producers and readers against the generated NATS permissions: a service the catalogue
 * says publishes a subject must be allowed to, and a downstream team may read the public subjects only and
 * publish none.
 */

/** The services a catalogue producer or reader line names (matrix-cli, the admin, is never limited). */
function servicesNamed(line: string): string[] {
  if (line.startsWith('every consuming service')) {
    return MATRIX_SERVICE_ACCESS.filter((a) => a.consumes.length > 0 || a.deadLetterRelay).map((a) => a.name);
  }
  if (line.startsWith('the dead-letter relay')) {
    return MATRIX_SERVICE_ACCESS.filter((a) => a.deadLetterRelay).map((a) => a.name);
  }
  return MATRIX_SERVICE_ACCESS.map((a) => a.name).filter((name) => line.startsWith(name));
}

describe('NATS permissions against the subject catalogue', () => {
  it.each(CATALOGUE.map((channel) => [channel.address, channel] as const))(
    '%s: every producer may publish it, every reader may read it',
    (_address, channel) => {
      const producers = channel.producers.flatMap((p) => servicesNamed(p.service));
      expect(publishersOf(channel)).toEqual(expect.arrayContaining(producers));
      const readers = channel.readers.flatMap((r) => servicesNamed(r));
      expect(readersOf(channel)).toEqual(expect.arrayContaining(readers));
    },
  );

  it('lets a downstream team read the public subjects only, and publish none', () => {
    for (const channel of CATALOGUE) {
      const where = channel.address;
      expect([where, publishersOf(channel).includes('a downstream team')]).toEqual([where, false]);
      expect([where, readersOf(channel).includes('a downstream team')]).toEqual([
        where,
        channel.audience === 'public',
      ]);
    }
  });

  it("lets only the gateway write the registry's KV buckets, sensor-normaliser its leases, and nobody but nats-server publish an advisory", () => {
    for (const channel of CATALOGUE.filter((c) => c.carrier.kind === 'kv')) {
      expect([channel.address, publishersOf(channel)]).toEqual([
        channel.address,
        [channel.id === 'consumerLeases' ? 'sensor-normaliser' : 'matrix-api-gateway'],
      ]);
    }
    const advisories = CATALOGUE.find((c) => c.id === 'deadLetterAdvisories');
    expect(advisories && publishersOf(advisories)).toEqual([]);
  });
});

describe('overlaps', () => {
  it.each([
    ['matrix.*.scgrids.>', 'matrix.*.*.*.*', true],
    ['dlq.sensor.raw.>', 'dlq.>', true],
    ['sensor.raw.>', 'sensor.data.*.*.*', false],
    ['$KV.INGEST_KEYS.>', '$KV.DEVICE_SLOTS.*', false],
    ['a.b', 'a.b.c', false],
  ])('%s and %s: %s', (a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
  });
});
