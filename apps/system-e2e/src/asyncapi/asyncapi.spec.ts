import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Parser } from '@asyncapi/parser';
import Ajv from 'ajv';
import * as contracts from '@matrix/contracts';
import { MATRIX_KV_BUCKETS, MATRIX_TOPOLOGY, Namespace } from '@matrix/messaging';
import {
  BUILDER_CALLS_NOT_PUBLISHING,
  CATALOGUE,
  NOT_PUBLISHING,
  PUBLISH_SITES,
  PUBLISHING_CALLS,
  type CatalogueChannel,
} from './catalogue';
import {
  ASYNCAPI_FILE,
  buildAsyncApi,
  commandServer,
  commandSubjects,
  exampleOf,
  FIXTURES,
  productionFiles,
  renderAsyncApiYaml,
  renderSubjectsMarkdown,
  ROOT,
  SUBJECTS_FILE,
  withoutComments,
} from './generate';
import { CONTRACT_CLASSES, payloadSchemas } from './payload-schemas';

const REGENERATE = 'run UPDATE_DOCS=1 npx jest -c apps/system-e2e/jest.config.cjs asyncapi';

/** Whether a NATS subject lies inside a filter with `*` and `>` wildcards. */
function subjectMatches(filter: string, subject: string): boolean {
  const f = filter.split('.');
  const s = subject.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return s.length > i;
    if (i >= s.length || (f[i] !== '*' && f[i] !== s[i])) return false;
  }
  return f.length === s.length;
}

/** The channel address as a NATS filter: each `{parameter}` one token, `>` for `dlq.{originalSubject}`. */
function addressFilter(channel: CatalogueChannel): string {
  return channel.address.replace(/^dlq\.\{[^}]+\}$/, 'dlq.>').replace(/\{[^}]+\}/g, '*');
}

/** The subjects a carrier holds: a stream's subjects (in the root namespace), `$KV.<bucket>.>` for a bucket. */
function carrierSubjects(channel: CatalogueChannel): string[] {
  if (channel.carrier.kind === 'kv') return [`$KV.${channel.carrier.bucket.name}.>`];
  const { stream } = channel.carrier;
  return [...stream.subjects, ...(stream.rawSubjects?.(Namespace.ROOT) ?? [])];
}

describe('the AsyncAPI catalogue of the NATS subjects', () => {
  it('is checked in as the generator makes it (docs/asyncapi.yaml, docs/subjects.md)', () => {
    for (const [file, expected] of [
      [ASYNCAPI_FILE, renderAsyncApiYaml()],
      [SUBJECTS_FILE, renderSubjectsMarkdown()],
    ] as const) {
      let actual = '';
      try {
        actual = readFileSync(file, 'utf8');
      } catch {
        // missing: written below with UPDATE_DOCS=1, else the comparison fails
      }
      if (process.env['UPDATE_DOCS'] === '1' && actual !== expected) {
        writeFileSync(file, expected);
        actual = expected;
      }
      if (actual !== expected) {
        throw new Error(`${path.relative(ROOT, file)} is stale: ${REGENERATE}`);
      }
      expect(actual).toBe(expected);
    }
  });

  it('is a valid AsyncAPI 3.0 document (the AsyncAPI parser finds no error and no warning)', async () => {
    const diagnostics = await new Parser().validate(readFileSync(ASYNCAPI_FILE, 'utf8'));
    // Severity 0 is an error, 1 a warning; 2 and 3 are hints such as "3.1.0 is out".
    const problems = diagnostics
      .filter((d) => d.severity <= 1)
      .map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`);
    expect(problems).toEqual([]);
    const parsed = await new Parser().parse(readFileSync(ASYNCAPI_FILE, 'utf8'));
    expect(
      parsed.document
        ?.channels()
        .all()
        .map((channel) => channel.address()),
    ).toEqual(CATALOGUE.map((channel) => channel.address));
  });

  it('has a channel for every stream of the topology and every KV bucket, and no other', () => {
    const streams = CATALOGUE.flatMap((c) => (c.carrier.kind === 'stream' ? [c.carrier.stream.name] : []));
    const buckets = CATALOGUE.flatMap((c) => (c.carrier.kind === 'kv' ? [c.carrier.bucket.name] : []));
    expect([...streams].sort()).toEqual(MATRIX_TOPOLOGY.streams.map((s) => s.name).sort());
    expect([...buckets].sort()).toEqual(MATRIX_KV_BUCKETS.map((b) => b.name).sort());
  });

  it.each(CATALOGUE.map((channel) => [channel.address, channel] as const))(
    '%s: its sample subject has its form, and its stream or bucket (only that one) keeps it',
    (_address, channel) => {
      expect(subjectMatches(addressFilter(channel), channel.sample)).toBe(true);
      expect(carrierSubjects(channel).some((subject) => subjectMatches(subject, channel.sample))).toBe(true);
      const keepers = MATRIX_TOPOLOGY.streams.filter((stream) =>
        [...stream.subjects, ...(stream.rawSubjects?.(Namespace.ROOT) ?? [])].some((subject) =>
          subjectMatches(subject, channel.sample),
        ),
      );
      expect(keepers.map((stream) => stream.name)).toEqual(
        channel.carrier.kind === 'stream' ? [channel.carrier.stream.name] : [],
      );
    },
  );

  it('names every subject builder @matrix/contracts exports, and only those', () => {
    const exported = Object.entries(contracts as Record<string, unknown>)
      .filter(
        ([name, value]) =>
          typeof value === 'function' && /Subject$|^routingKeyOf$|^buildMatrixEvent$/.test(name),
      )
      .map(([name]) => name)
      .sort();
    expect(exported).toEqual(CATALOGUE.flatMap((channel) => channel.builders).sort());
  });

  /** Production code without its comments, by file. */
  const sources = () =>
    productionFiles().map((file) => ({
      file,
      code: withoutComments(readFileSync(path.join(ROOT, file), 'utf8')),
    }));
  /** Whether the code names the function: a call, a reference (`.map(routingKeyOf)`) or an import (`as`). */
  const names = (code: string, name: string) => new RegExp(`\\b${name}\\b`).test(code);
  const builderPublishes = (file: string, builder: string) =>
    !BUILDER_CALLS_NOT_PUBLISHING.some((e) => e.file === file && e.builder === builder);

  it('its scan sees publishing through NatsClient, core NATS, KV handles and builders by reference, not comments', () => {
    const how = (code: string) =>
      Object.entries(PUBLISHING_CALLS)
        .filter(([, matches]) => matches(withoutComments(code)))
        .map(([name]) => name);
    expect(how('await this.nats.js.publish(ns.subject(s), data);')).toEqual(['publish']);
    expect(how('nc.publish(`matrix.${pid}.x`, data);')).toEqual(['publish']);
    expect(how('const reply = await this.client.nc.request(subject, data);')).toEqual(['request']);
    expect(how('const kv = await openKvBucket(nc, PRINCIPALS, ns);\nawait kv.put(key, value);')).toEqual([
      'kvWrite',
    ]);
    expect(how("import type { KV } from '@nats-io/kv';\nawait bucket.delete(key);")).toEqual(['kvWrite']);
    expect(how('const kv = await new Kvm(nc).open(name);\nawait kv.create(key, value);')).toEqual([
      'kvWrite',
    ]);
    expect(how('class A {\n  constructor(private readonly out: OutboxWriter) {}\n}')).toEqual(['handle']);
    // A `//` inside a literal starts no comment.
    expect(how("const root = '//'; await js.publish(root);")).toEqual(['publish']);
    // Reading a bucket, or a publish only in a comment, is not publishing.
    expect(how('const kv = await openKvBucket(nc, PRINCIPALS, ns);\nawait kv.get(key);')).toEqual([]);
    expect(how('// then js.publish(subject)\n/* OutboxWriter nc.publish( */ const x = 1;')).toEqual([]);
    expect(names(withoutComments('// routingKeyOf(x)'), 'routingKeyOf')).toBe(false);
    expect(names("import { routingKeyOf as rk } from '@matrix/contracts';", 'routingKeyOf')).toBe(true);
    expect(names('events.map(routingKeyOf)', 'routingKeyOf')).toBe(true);
  });

  it('lists as producers exactly the production files that name the builder of each subject', () => {
    const code = sources();
    const found = CATALOGUE.flatMap((channel) =>
      channel.builders.flatMap((builder) =>
        code
          .filter((source) => names(source.code, builder) && builderPublishes(source.file, builder))
          .map(({ file }) => `${channel.address} ← ${file}`),
      ),
    );
    const declared = CATALOGUE.flatMap((channel) =>
      channel.producers.filter((p) => p.callsBuilder).map((p) => `${channel.address} ← ${p.file}`),
    );
    const [foundSet, declaredSet] = [new Set(found), new Set(declared)];
    expect({
      'names a builder, not a producer in the catalogue': [...foundSet]
        .filter((f) => !declaredSet.has(f))
        .sort(),
      'a producer in the catalogue, names no builder': [...declaredSet]
        .filter((d) => !foundSet.has(d))
        .sort(),
    }).toEqual({
      'names a builder, not a producer in the catalogue': [],
      'a producer in the catalogue, names no builder': [],
    });
    // A producer that republishes a subject it read (no builder there) is a publish site of that channel.
    for (const channel of CATALOGUE) {
      for (const producer of channel.producers.filter((p) => !p.callsBuilder)) {
        expect([producer.file, PUBLISH_SITES[producer.file]]).toEqual([
          producer.file,
          expect.arrayContaining([channel.id]),
        ]);
      }
    }
  });

  it('knows every production file that publishes or writes a KV key, and on which channels', () => {
    const found = sources().flatMap(({ file, code }) => {
      const how = Object.entries(PUBLISHING_CALLS)
        .filter(([, matches]) => matches(code))
        .map(([name]) => name);
      return how.length > 0 ? [{ file, how, code }] : [];
    });
    const listed = new Set([...Object.keys(PUBLISH_SITES), ...Object.keys(NOT_PUBLISHING)]);
    const foundFiles = new Set(found.map(({ file }) => file));
    expect(Object.keys(PUBLISH_SITES).filter((file) => file in NOT_PUBLISHING)).toEqual([]);
    expect({
      'publishes (how), listed neither in PUBLISH_SITES nor in NOT_PUBLISHING': found
        .filter(({ file }) => !listed.has(file))
        .map(({ file, how }) => `${file} (${how.join(', ')})`),
      'listed, but the scan finds no publishing call': [...listed]
        .filter((file) => !foundFiles.has(file))
        .sort(),
    }).toEqual({
      'publishes (how), listed neither in PUBLISH_SITES nor in NOT_PUBLISHING': [],
      'listed, but the scan finds no publishing call': [],
    });

    // A publish site that names a channel's builder (not as a filter) or its KV bucket (`PRINCIPALS`,
    // `PRINCIPALS_BUCKET`, 'PRINCIPALS') publishes on it.
    const named = found
      .filter(({ file }) => file in PUBLISH_SITES)
      .flatMap(({ file, code }) =>
        CATALOGUE.filter((channel) =>
          channel.carrier.kind === 'kv'
            ? names(code, `${channel.carrier.bucket.name}(_BUCKET)?`)
            : channel.builders.some((builder) => names(code, builder) && builderPublishes(file, builder)),
        ).map((channel) => ({ file, id: channel.id })),
      );
    // A catalogue producer that publishes itself lists that channel too.
    const producing = CATALOGUE.flatMap((channel) =>
      channel.producers.filter((p) => foundFiles.has(p.file)).map((p) => ({ file: p.file, id: channel.id })),
    );
    const undeclared = [...named, ...producing]
      .filter(({ file, id }) => !(PUBLISH_SITES[file] ?? []).includes(id))
      .map(({ file, id }) => `${file} publishes on ${id}, which PUBLISH_SITES does not list for it`);
    expect([...new Set(undeclared)]).toEqual([]);

    const ids = CATALOGUE.map((channel) => channel.id);
    const published = new Set(Object.values(PUBLISH_SITES).flat());
    for (const id of published) expect(ids).toContain(id);
    // Every channel the platform publishes on has a publish site; only nats-server's advisories have none.
    expect(ids.filter((id) => !published.has(id))).toEqual(['deadLetterAdvisories']);
  });

  it('generates the payload schemas of the contract classes from their class-validator decorators', () => {
    const schemas = payloadSchemas();
    for (const type of CONTRACT_CLASSES) expect(schemas[type.name]).toMatchObject({ type: 'object' });
    expect(schemas['MatrixEventV1']).toMatchObject({
      required: expect.arrayContaining(['Principal', 'RoutingKey', 'UnixTimeInt']),
      properties: {
        UnixTimeInt: { type: 'integer' },
        Status: { enum: ['HIGH', 'MEDIUM', 'NORMAL', 'LOW'] },
        PType: { anyOf: [{ enum: ['building', 'property', 'organisation'] }, { type: 'null' }] },
      },
    });
    expect(schemas['NormalisedSensorDataPointV1']).toMatchObject({
      properties: { t: { type: 'string', pattern: '^\\d{14}$' } },
    });
    // Every schema a channel names exists.
    for (const channel of CATALOGUE) expect(Object.keys(schemas)).toContain(channel.payload);
  });

  describe('accepts every published fixture of its contracts', () => {
    const ajv = new Ajv({ allErrors: true, validateFormats: false, strictTypes: false });
    for (const [name, schema] of Object.entries(payloadSchemas())) ajv.addSchema(rewriteRefs(schema), name);
    const { messages } = (
      buildAsyncApi() as { components: { messages: Record<string, { payload: object }> } }
    ).components;
    const payloadOf = (channelId: string) => ajv.compile(rewriteRefs(messages[channelId]!.payload));
    /**
     * Contract (its fixture folder below libs/contracts/fixtures) → the channel whose messages carry it.
     * Every version folder below it is checked, so a new version's fixtures are too; `sensor-data-point.v1`
     * has `valid` and `invalid` folders instead, the latter holding what the contract refuses. Its posted
     * points reach SENSOR_RAW as push-ingress publishes them: a legacy bare `DevType` (`ODRDTR`) made
     * canonical (`canonicalDevType`), so they are checked that way.
     */
    const CONTRACT_CHANNELS: Record<string, string> = {
      'matrix-event': 'matrixEvents',
      'normalised-sensor-data-point': 'sensorData',
      'sensor-point-message': 'sensorRaw',
      'sensor-data-point.v1': 'sensorRaw',
      'device-slot-entry': 'deviceSlots',
      'ingest-key-entry': 'ingestKeys',
      'principal-entry': 'principals',
    };
    /** Fixture folders of no channel's payload: REST request bodies (request/reply commands are found below). */
    const NOT_CHANNEL_PAYLOADS = ['subscription-input'];
    const subfolders = (dir: string) =>
      readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name);
    const folders = subfolders(FIXTURES).flatMap((contract) =>
      subfolders(path.join(FIXTURES, contract)).map((version) => ({ contract, version })),
    );
    const FOLDERS = folders.flatMap(({ contract, version }) =>
      contract in CONTRACT_CHANNELS && version !== 'invalid'
        ? [[`${contract}/${version}`, CONTRACT_CHANNELS[contract]!] as const]
        : [],
    );
    const cases = FOLDERS.flatMap(([folder, channelId]) =>
      readdirSync(path.join(FIXTURES, folder))
        .filter((file) => file.endsWith('.json') && file !== 'index.json')
        .map((file) => [`${folder}/${file}`, CATALOGUE.find((c) => c.id === channelId)!] as const),
    );

    it('(every fixture folder is a channel payload, a request/reply command or a listed REST body)', () => {
      const commands = commandSubjects();
      expect(
        folders
          .filter(
            ({ contract, version }) =>
              !(contract in CONTRACT_CHANNELS) &&
              !NOT_CHANNEL_PAYLOADS.includes(contract) &&
              !commands.includes(`${contract}.${version}`),
          )
          .map(({ contract, version }) => `${contract}/${version}`),
      ).toEqual([]);
      expect(FOLDERS.map(([folder]) => folder)).toContain('matrix-event/v1');
    });

    it.each(cases)('%s', (fixture, channel) => {
      const validate = payloadOf(channel.id);
      const example = exampleOf(channel, fixture);
      const published = fixture.startsWith('sensor-data-point.v1/')
        ? (example as { DevType: string }[]).map((p) => ({
            ...p,
            DevType: contracts.canonicalDevType(p.DevType),
          }))
        : example;
      const ok = validate(published);
      expect(ok ? [] : validate.errors).toEqual([]);
    });

    it('and refuses what the contracts refuse', () => {
      expect(payloadOf('matrixEvents')({ Principal: 'p' })).toBe(false);
      expect(payloadOf('sensorData')([])).toBe(false);
      expect(payloadOf('principals')({ type: 'zone', org: 'o', property: 'p' })).toBe(false);
    });
  });

  describe('agrees with the contract checks on which fields are required', () => {
    const ajv = new Ajv({ allErrors: true, validateFormats: false, strictTypes: false });
    for (const [name, schema] of Object.entries(payloadSchemas())) ajv.addSchema(rewriteRefs(schema), name);
    /** The check each reader runs (docs/contracts.md), per payload schema, and a fixture to start from. */
    const CHECKS: Record<string, { fixture: string; check: (value: Record<string, unknown>) => boolean }> = {
      MatrixEventV1: {
        fixture: 'matrix-event/v1/zone-created.json',
        check: (value) => contracts.validateContract(contracts.MatrixEventV1, value).ok,
      },
      NormalisedSensorDataPointV1: {
        fixture: 'normalised-sensor-data-point/v1/people-counter.json',
        check: (value) => contracts.validateContract(contracts.NormalisedSensorDataPointV1, value).ok,
      },
      SensorDataPointV1: {
        fixture: 'sensor-data-point.v1/valid/pplctr-2022-float-counts.json',
        check: (value) => contracts.validateContract(contracts.SensorDataPointV1, value).ok,
      },
      DeviceSlotEntry: {
        fixture: 'device-slot-entry/v1/people-counter.json',
        check: (value) => contracts.parseDeviceSlotEntry('pc-lobby-01', value).ok,
      },
      IngestKeyEntry: {
        fixture: 'ingest-key-entry/v1/provider-bound.json',
        check: (value) => contracts.parseIngestKeyEntry('abcdefgh2345', value).ok,
      },
      PrincipalEntry: {
        fixture: 'principal-entry/v1/building.json',
        check: (value) => contracts.parsePrincipalEntry('bldg-7f3a2c', value).ok,
      },
    };
    const cases = Object.entries(CHECKS).flatMap(([name, { fixture, check }]) => {
      const json = JSON.parse(readFileSync(path.join(FIXTURES, fixture), 'utf8')) as Record<string, unknown>;
      const value = (fixture.includes('-entry/') ? json['value'] : json) as Record<string, unknown>;
      return Object.keys(value).map(
        (field) => [`${name} without ${field}`, name, value, field, check] as const,
      );
    });

    it.each(cases)('%s', (_title, name, value, field, check) => {
      const validate = ajv.getSchema(name)!;
      expect(validate(value)).toBe(true);
      expect(check(value)).toBe(true);
      const without = Object.fromEntries(Object.entries(value).filter(([key]) => key !== field));
      expect(validate(without)).toBe(check(without));
    });
  });

  it('lists every request/reply command of @matrix/contracts with the service that serves it', () => {
    const subjects = commandSubjects();
    expect(subjects).toContain('workforce.seat.create.v1');
    expect(subjects).toContain('workforce.action.call.v1');
    expect(subjects.map(commandServer)).not.toContain(undefined);
    const markdown = renderSubjectsMarkdown();
    for (const subject of subjects) expect(markdown).toContain(`| \`${subject}\` |`);
  });
});

/** Points `#/components/schemas/<name>` references at the schema ajv holds under `<name>`. */
function rewriteRefs(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"#\/components\/schemas\//g, '"')) as object;
}
