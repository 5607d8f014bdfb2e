import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { stringify } from 'yaml';
import * as contracts from '@matrix/contracts';
import { HEADER, MATRIX_EVENTS as MATRIX_EVENT_IDS } from '@matrix/contracts';
import { CATALOGUE, COMMAND_SERVERS, type CatalogueChannel } from './catalogue';
import { renderNatsAccess } from './nats-access';
import { payloadSchemas, type JsonSchema } from './payload-schemas';

export const ROOT = path.resolve(__dirname, '../../../..');
export const FIXTURES = path.join(ROOT, 'libs/contracts/fixtures');
export const ASYNCAPI_FILE = path.join(ROOT, 'docs/asyncapi.yaml');
export const SUBJECTS_FILE = path.join(ROOT, 'docs/subjects.md');

/** Production TypeScript below apps/ and libs/ (no specs, tests, SDK, test helpers or the contracts that define the builders). */
export function productionFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (!['node_modules', 'test', 'fixtures'].includes(entry.name)) walk(rel);
      } else if (/\.ts$/.test(entry.name) && !/[.-]spec\.ts$|\.d\.ts$/.test(entry.name)) files.push(rel);
    }
  };
  for (const top of ['apps', 'libs']) {
    for (const project of readdirSync(path.join(ROOT, top))) {
      if (['contracts', 'testing', 'sdk', 'system-e2e'].includes(project)) continue;
      walk(`${top}/${project}/src`);
    }
  }
  return files.sort();
}

const printer = ts.createPrinter({ removeComments: true });
/** Parsing every production file takes seconds: each is stripped once per run. */
const stripped = new Map<string, string>();

/**
 * The code without its comments: TypeScript's parser and printer, not a regular expression, so a `//` or
 * `/*` inside a string, template or regular expression literal is not taken for a comment.
 */
export function withoutComments(source: string): string {
  let code = stripped.get(source);
  if (code === undefined) {
    code = printer.printFile(
      ts.createSourceFile('scan.ts', source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS),
    );
    stripped.set(source, code);
  }
  return code;
}

/** The documented event ids that appear as a literal in the code of the apps that publish Matrix events. */
function eventIdsInProducers(): Set<string> {
  const channel = CATALOGUE.find((c) => c.id === 'matrixEvents')!;
  const apps = new Set(channel.producers.map((p) => p.file.split('/').slice(0, 3).join('/')));
  const code = productionFiles()
    .filter((file) => apps.has(file.split('/').slice(0, 3).join('/')))
    .map((file) => withoutComments(readFileSync(path.join(ROOT, file), 'utf8')))
    .join('\n');
  const ids = Object.values(MATRIX_EVENT_IDS).flatMap((events) => Object.keys(events));
  return new Set(ids.filter((id) => new RegExp(`['"\`]${id}['"\`]`).test(code)));
}

/** What each header means, for the documents (names from `HEADER` in libs/contracts, and NATS's own). */
const HEADER_DESCRIPTIONS: Record<string, string> = {
  'Nats-Msg-Id': "The producer's message id: JetStream stores a repeated id once within the duplicate window",
  [HEADER.readingIds]: 'The reading id (ADR-4) of each point, comma-separated, in array order',
  [HEADER.correlationId]:
    'Correlates everything caused by one request (HTTP `x-correlation-id`), when the cause had one',
  [HEADER.ingestKeyId]: 'Id of the ingest key that posted the batch',
  [HEADER.ingestPid]: 'Building (PID) of that ingest key',
  [HEADER.redrivenFrom]: '`<stream>:<sequence>` of the rejection a re-driven reading came from',
  [HEADER.dlqReason]: 'Why the message was dead-lettered',
  [HEADER.dlqStream]: 'Stream it was in',
  [HEADER.dlqSequence]: 'Its sequence there (a range for a push batch)',
  [HEADER.dlqConsumer]: 'The consumer that gave up',
  [HEADER.dlqDeliveries]: 'Deliveries made',
  [HEADER.dlqSubject]: 'Its original subject, without the namespace',
  'webhook-id':
    "Only on a push batch event-router gave up on: the batch's `webhook-id`, the idempotency key its deliveries carried (docs/delivery.md)",
};

/** Commands are request/reply: a spec object (`subject`, `decodeRequest`, `decodeReply`) or a versioned subject constant. */
function isCommandSpec(value: unknown): value is { subject: string } {
  const spec = value as Record<string, unknown> | null;
  return (
    typeof spec === 'object' &&
    spec !== null &&
    typeof spec['subject'] === 'string' &&
    typeof spec['decodeRequest'] === 'function' &&
    typeof spec['decodeReply'] === 'function'
  );
}

const COMMAND_SUBJECT = /^[a-z]+(\.[a-z-]+)+\.v\d+$/;

/** Every request/reply command subject `@matrix/contracts` exports (specs, objects of specs, subject constants). */
export function commandSubjects(): string[] {
  const subjects = new Set<string>();
  for (const value of Object.values(contracts as Record<string, unknown>)) {
    if (typeof value === 'string' && COMMAND_SUBJECT.test(value)) subjects.add(value);
    else if (isCommandSpec(value)) subjects.add(value.subject);
    else if (typeof value === 'object' && value !== null) {
      for (const inner of Object.values(value)) if (isCommandSpec(inner)) subjects.add(inner.subject);
    }
  }
  return [...subjects].sort();
}

export function commandServer(subject: string): string {
  const server = COMMAND_SERVERS[subject.split('.')[0] as string];
  if (!server) {
    throw new Error(`command ${subject}: no server for its domain in COMMAND_SERVERS (catalogue.ts)`);
  }
  return server;
}

function duration(ms: number): string {
  const day = 86_400_000;
  if (ms % day === 0) return `${ms / day} day${ms === day ? '' : 's'}`;
  return `${ms / 60_000} min`;
}

/** A stream's or bucket's `max_bytes` as documented: its share of the deployment's JetStream budget. */
function capacityOf(share: number): string {
  return `${+(share * 100).toFixed(1)} % of the JetStream budget (max_bytes; docs/operations.md, Capacity)`;
}

function fullStream(discard: 'new' | 'old'): string {
  return discard === 'new'
    ? 'full, it refuses new messages (discard new) and the publisher retries'
    : 'full, it drops its oldest messages (discard old)';
}

export function retentionOf(channel: CatalogueChannel): string {
  const { carrier } = channel;
  return carrier.kind === 'stream'
    ? `stream \`${carrier.stream.name}\`: ${duration(carrier.stream.maxAgeMs)}, in at most ${capacityOf(carrier.stream.budgetShare)}; ${fullStream(carrier.stream.discard)}; duplicate window ${duration(carrier.stream.duplicateWindowMs)}`
    : `KV bucket \`${carrier.bucket.name}\`: the latest value per key (history ${carrier.bucket.history}), kept until deleted, in at most ${capacityOf(carrier.bucket.budgetShare)}; full, a new key is refused`;
}

function carrierName(channel: CatalogueChannel): string {
  return channel.carrier.kind === 'stream' ? channel.carrier.stream.name : channel.carrier.bucket.name;
}

/** The fixture as a message body: a KV fixture's `value`, a point wrapped into the array a message carries. */
export function exampleOf(channel: CatalogueChannel, fixture: string): unknown {
  const json = JSON.parse(readFileSync(path.join(FIXTURES, fixture), 'utf8')) as unknown;
  if (channel.carrier.kind === 'kv') return (json as { value: unknown }).value;
  return channel.payloadIsArray && !Array.isArray(json) ? [json] : json;
}

function payloadOf(channel: CatalogueChannel): JsonSchema {
  const ref = { $ref: `#/components/schemas/${channel.payload}` };
  return channel.payloadIsArray
    ? {
        type: 'array',
        minItems: 1,
        maxItems: 250,
        items: ref,
        description: 'A JSON array of points (ADR-10)',
      }
    : ref;
}

/** The AsyncAPI 3.0 document of the catalogue. */
export function buildAsyncApi(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  for (const channel of CATALOGUE) {
    const headers =
      channel.headers.length === 0
        ? undefined
        : {
            type: 'object',
            properties: Object.fromEntries(
              channel.headers.map((name) => [
                name,
                { type: 'string', description: HEADER_DESCRIPTIONS[name] },
              ]),
            ),
          };
    messages[channel.id] = {
      name: channel.payload,
      title: channel.title,
      contentType: 'application/json',
      ...(headers ? { headers } : {}),
      payload: payloadOf(channel),
      ...(channel.examples.length > 0
        ? {
            examples: channel.examples.map((fixture) => ({
              name: path.basename(fixture, '.json'),
              summary: `libs/contracts/fixtures/${fixture}`,
              payload: exampleOf(channel, fixture),
            })),
          }
        : {}),
    };
    channels[channel.id] = {
      address: channel.address,
      title: channel.title,
      description: `${channel.description}\n\nAudience: ${channel.audience}. Retention: ${retentionOf(channel)}.`,
      parameters: Object.fromEntries(
        Object.entries(channel.parameters).map(([name, description]) => [name, { description }]),
      ),
      messages: { [channel.id]: { $ref: `#/components/messages/${channel.id}` } },
      'x-matrix-audience': channel.audience,
      [channel.carrier.kind === 'stream' ? 'x-matrix-stream' : 'x-matrix-kv-bucket']: carrierName(channel),
      'x-matrix-retention': retentionOf(channel),
      'x-matrix-delivery': channel.delivery,
      'x-matrix-producers': channel.producers.map((producer) => producer.service),
      'x-matrix-readers': [...channel.readers],
    };
    operations[`send${channel.id[0]!.toUpperCase()}${channel.id.slice(1)}`] = {
      action: 'send',
      channel: { $ref: `#/channels/${channel.id}` },
      summary:
        channel.producers.length > 0
          ? `Published by ${channel.producers.map((producer) => producer.service).join('; ')}`
          : 'Published by nats-server',
      messages: [{ $ref: `#/channels/${channel.id}/messages/${channel.id}` }],
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Matrix platform NATS subjects',
      version: '1.0.0',
      description: [
        'Every JetStream subject and KV bucket of the Matrix platform (docs/subjects.md renders this document).',
        'Generated by apps/system-e2e/src/asyncapi from the topology (libs/messaging) and the contract classes',
        '(libs/contracts); edit those and run `UPDATE_DOCS=1 npx jest -c apps/system-e2e/jest.config.cjs asyncapi`.',
        'Subjects are written without the deployment namespace: with NATS_NAMESPACE=<ns> every subject starts',
        'with `<ns>.` and every stream and bucket name with `<NS>_` (ADR-8).',
        'Request/reply command subjects are internal and not channels here (docs/subjects.md lists them).',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      nats: {
        host: '127.0.0.1:4222',
        protocol: 'nats',
        description:
          "The deployment's NATS server with JetStream (the address `npm start` uses; NATS_URL elsewhere)",
      },
    },
    channels,
    operations,
    components: { messages, schemas: payloadSchemas() },
  };
}

export function renderAsyncApiYaml(): string {
  return `# Generated: UPDATE_DOCS=1 npx jest -c apps/system-e2e/jest.config.cjs asyncapi (do not edit)\n${stringify(
    buildAsyncApi(),
    { lineWidth: 0, aliasDuplicateObjects: false },
  )}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const anchor = (channel: CatalogueChannel) => channel.id.toLowerCase();
const schemaAnchor = (name: string) => `schema-${name.toLowerCase()}`;

/** A property's type in words: `string`, `integer or null`, `one of HIGH, LOW`. */
function typeOf(property: JsonSchema): string {
  if (Array.isArray(property['anyOf'])) return (property['anyOf'] as JsonSchema[]).map(typeOf).join(' or ');
  if (Array.isArray(property['enum'])) {
    return `one of ${(property['enum'] as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`;
  }
  if (property['type'] === 'array') {
    return `array of ${typeOf((property['items'] as JsonSchema | undefined) ?? {})}`;
  }
  return typeof property['type'] === 'string' ? property['type'] : 'any';
}

/** A property's constraints in words. */
function rulesOf(property: JsonSchema): string {
  const inner = Array.isArray(property['anyOf']) ? (property['anyOf'] as JsonSchema[])[0]! : property;
  const rules: string[] = [];
  if (typeof inner['pattern'] === 'string') rules.push(`matches \`${inner['pattern']}\``);
  if (typeof inner['minLength'] === 'number') rules.push(`at least ${inner['minLength']} characters`);
  if (typeof inner['maxLength'] === 'number') rules.push(`at most ${inner['maxLength']} characters`);
  if (typeof inner['format'] === 'string') rules.push(String(inner['format']));
  if (typeof property['description'] === 'string') rules.push(property['description']);
  return rules.join('; ');
}

function schemaSection(name: string, schema: JsonSchema): string[] {
  const lines = ['', `### ${name}`, '', `<a id="${schemaAnchor(name)}"></a>`, ''];
  if (typeof schema['description'] === 'string') lines.push(schema['description'], '');
  const properties = schema['properties'] as Record<string, JsonSchema> | undefined;
  if (!properties) return lines;
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  lines.push('| field | type | required | rules |', '| --- | --- | --- | --- |');
  for (const [field, property] of Object.entries(properties)) {
    lines.push(
      `| \`${field}\` | ${cell(typeOf(property))} | ${required.has(field) ? 'yes' : 'no'} | ${cell(rulesOf(property))} |`,
    );
  }
  return lines;
}

/** docs/subjects.md: the catalogue for people. */
export function renderSubjectsMarkdown(): string {
  const lines: string[] = [
    '# NATS subjects',
    '',
    '<!-- Generated from the AsyncAPI catalogue: UPDATE_DOCS=1 npx jest -c apps/system-e2e/jest.config.cjs asyncapi (do not edit) -->',
    '',
    'Every subject the platform publishes and every KV bucket it keeps, with the payload, who produces it, where it',
    'is kept and for how long. The same catalogue in machine-readable form is [asyncapi.yaml](asyncapi.yaml)',
    '(AsyncAPI 3.0; payload schemas generated from the class-validator classes of `libs/contracts`). Subjects are',
    'written without the deployment namespace: with `NATS_NAMESPACE=<ns>` each starts with `<ns>.`, and stream and',
    'bucket names with `<NS>_` (architecture.md, ADR-8).',
    '',
    '**Audience.** `public`: subscribe to it from your own services; its payload follows the compatibility rule of',
    '[contracts.md](contracts.md) (a breaking change is a new version beside the old). `operators`: for the',
    "deployment's operators and tooling. `internal`: data between the platform's services; its shape may change",
    'with a release. Every name here is persistent (renaming one is a migration).',
    '',
    '| subject | audience | payload | producer | stream / bucket | retention | delivery |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const channel of CATALOGUE) {
    const payload = `[${channel.payloadIsArray ? `${channel.payload}[]` : channel.payload}](#${schemaAnchor(channel.payload)})`;
    const subject = `[\`${channel.address}\`](#${anchor(channel)})`;
    const producers = channel.producers
      .map((p) => p.service.split(' (')[0])
      .filter((s, i, all) => all.indexOf(s) === i);
    const retention =
      channel.carrier.kind === 'stream'
        ? `${duration(channel.carrier.stream.maxAgeMs)}, ${+(channel.carrier.stream.budgetShare * 100).toFixed(1)} % of budget, discard ${channel.carrier.stream.discard}`
        : `latest per key`;
    const delivery =
      channel.carrier.kind === 'kv'
        ? 'latest value'
        : channel.producers.length
          ? 'at least once'
          : 'advisory';
    lines.push(
      `| ${subject} | ${channel.audience} | ${payload} | ${cell(producers.join(', ') || 'nats-server')} | \`${carrierName(channel)}\` | ${retention} | ${delivery} |`,
    );
  }
  lines.push(...renderNatsAccess());
  for (const channel of CATALOGUE) {
    lines.push('', `## ${channel.title}`, '', `<a id="${anchor(channel)}"></a>`, '');
    lines.push(`Subject \`${channel.address}\` — ${channel.audience}.`, '', channel.description, '');
    lines.push('| | |', '| --- | --- |');
    for (const [name, description] of Object.entries(channel.parameters)) {
      lines.push(`| \`{${name}}\` | ${cell(description)} |`);
    }
    lines.push(
      `| payload | ${channel.payloadIsArray ? 'a JSON array of ' : ''}[\`${channel.payload}\`](#${schemaAnchor(channel.payload)}) (asyncapi.yaml: \`components.schemas.${channel.payload}\`) |`,
      `| produced by | ${cell(channel.producers.map((p) => `${p.service}: \`${p.file}\``).join('; ') || 'nats-server')} |`,
      `| read by | ${cell(channel.readers.join('; '))} |`,
      `| kept in | ${cell(retentionOf(channel))} |`,
      `| delivery | ${cell(channel.delivery)} |`,
    );
    if (channel.headers.length > 0) {
      lines.push(`| headers | ${channel.headers.map((h) => `\`${h}\``).join(', ')} |`);
    }
    for (const fixture of channel.examples) {
      lines.push(
        '',
        `Example (\`libs/contracts/fixtures/${fixture}\`):`,
        '',
        '```json',
        JSON.stringify(exampleOf(channel, fixture), null, 2),
        '```',
      );
    }
    if (channel.id === 'matrixEvents') {
      const published = eventIdsInProducers();
      lines.push(
        '',
        'Documented event ids by module (`MATRIX_EVENTS` in libs/contracts) with their default priority, split by',
        'whether the code of the producers above names them today:',
        '',
        '| module | published today | documented, not published today |',
        '| --- | --- | --- |',
      );
      for (const [module, events] of Object.entries(MATRIX_EVENT_IDS)) {
        const list = (wanted: boolean) =>
          Object.entries(events)
            .filter(([id]) => published.has(id) === wanted)
            .map(([id, priority]) => `\`${id}\` (${priority})`)
            .join(', ') || '—';
        lines.push(`| \`${module}\` | ${list(true)} | ${list(false)} |`);
      }
      lines.push(
        '',
        'Beyond the documented ids, event-router publishes `eventrouter.SUBSCRIPTION_DISABLED` (HIGH) on the owner of a push subscription it disables.',
      );
    }
  }
  lines.push(
    '',
    '## Payload schemas',
    '',
    'The classes of `libs/contracts` decorated with class-validator are converted by class-validator-jsonschema; the',
    'others are interfaces with hand-written parsers, and their schemas are written beside the generator and checked',
    'against every fixture of their contract. Unknown fields are allowed everywhere (readers keep or ignore them).',
  );
  for (const [name, schema] of Object.entries(payloadSchemas())) lines.push(...schemaSection(name, schema));
  lines.push(
    '',
    '## Request/reply commands (internal)',
    '',
    'The services call each other with NATS request/reply on `<domain>.<entity>.<imperative>.v<n>` (core NATS, not',
    'kept in a stream; the reply is a `CommandReply`). They are **internal**: the gateway and matrix-cli call them,',
    'and their public face is REST v1 and the Matrix actions API ([api.md](api.md)). They are not channels of',
    'asyncapi.yaml; their request and reply shapes are checked by the compatibility fixtures of',
    '[contracts.md](contracts.md) (`libs/contracts/fixtures/<subject without .v<n>>/`).',
    '',
    '| subject | served by |',
    '| --- | --- |',
    ...commandSubjects().map((subject) => `| \`${subject}\` | ${commandServer(subject)} |`),
    '',
  );
  return lines.join('\n');
}
