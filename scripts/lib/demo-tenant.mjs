// The demo tenant `npm start` seeds once the services are ready, so a newcomer can call the API at once:
// organisation DEMO, property "Demo Property", building "Demo Building" with two levels, five zones and
// device slots of several types, two seats (people who receive incidents), an admin credential of the property and an ingest key of the building
// (for POSTing readings to push-ingress), all written to .matrix/demo-credentials.json (mode 0600).
//
// Idempotent. The credential in the file is reused while it still authenticates; otherwise (no file,
// another database, another MATRIX_SECRET_KEY, revoked) `main.cjs bootstrap` issues a new one and finds
// the organisation and property by name. Everything below the property goes through the public REST
// API and is looked up by name (alias for device slots) before it is created, so a rerun, another
// clone on the same database or a crash mid-seed never duplicates anything; the POSTs carry
// Idempotency-Keys, and the file is written as soon as the credential exists so that a rerun after a
// crash keeps using it (the gateway keeps Idempotency-Keys per credential). Missing demo entities
// (e.g. a deleted zone) are recreated on the next start. The ingest key in the file is kept while the
// building still lists it as active; otherwise a new one is issued (its secret is shown only then, so
// no Idempotency-Key), written to the file, and older demo keys are revoked, so there is one at a time.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEMO = {
  org: 'DEMO',
  orgName: 'Demo Organisation',
  property: 'Demo Property',
  timeZone: 'Europe/Berlin',
  type: 'COMMERCIAL_BUILDINGS',
  building: 'Demo Building',
  levels: [
    { name: 'Ground', level: 'L0' },
    { name: 'First', level: 'L1' },
  ],
  seats: [
    { userName: 'Demo Housekeeper', userGroup: 'HOUSEKEEPING' },
    { userName: 'Demo Supervisor', userGroup: 'FM' },
  ],
  zones: [
    { name: 'Lobby', level: 'Ground' },
    { name: 'Washroom Ground', level: 'Ground' },
    { name: 'Pantry', level: 'Ground' },
    { name: 'Washroom First', level: 'First' },
    { name: 'Meeting Room 1', level: 'First' },
  ],
  devices: [
    { alias: 'demo-pplctr-lobby', type: 'SMARTCLEAN#PPLCTR', zone: 'Lobby', display: 'Entrance counter' },
    {
      alias: 'demo-pplctr-washroom-ground',
      type: 'SMARTCLEAN#PPLCTR',
      zone: 'Washroom Ground',
      display: 'Washroom door counter',
    },
    {
      alias: 'demo-fd-washroom-ground',
      type: 'SMARTCLEAN#FD',
      zone: 'Washroom Ground',
      display: 'Feedback panel',
    },
    {
      alias: 'demo-tr-washroom-first',
      type: 'SMARTCLEAN#TR',
      zone: 'Washroom First',
      display: 'Towel dispenser',
    },
    {
      alias: 'demo-odrdtr-washroom-first',
      type: 'SMARTCLEAN#ODRDTR_BATT_V1',
      zone: 'Washroom First',
      display: 'Odour sensor',
    },
    { alias: 'demo-bin-pantry', type: 'SMARTCLEAN#BIN', zone: 'Pantry', display: 'Waste bin' },
    {
      alias: 'demo-occ-meeting-room-1',
      type: 'SMARTCLEAN#OCCMINEW',
      zone: 'Meeting Room 1',
      display: 'Occupancy',
    },
  ],
};

export const DEMO_FILE = '.matrix/demo-credentials.json';

/** Name of the demo building's ingest key (the one `npm start` manages). */
export const DEMO_INGEST_KEY_NAME = 'demo gateway (npm start)';

/** The arguments of `main.cjs bootstrap` for the demo organisation and property. */
export const DEMO_BOOTSTRAP_ARGS = [
  '--org',
  DEMO.org,
  '--org-name',
  DEMO.orgName,
  '--property',
  DEMO.property,
  '--time-zone',
  DEMO.timeZone,
  '--type',
  DEMO.type,
];

const same = (a, b) => a.toLowerCase() === b.toLowerCase();

/**
 * Makes sure the demo tenant exists and .matrix/demo-credentials.json holds a working admin credential
 * of it; returns what the file holds plus `reused` (whether the credential in the file was kept).
 * `bootstrap()` runs `main.cjs bootstrap …DEMO_BOOTSTRAP_ARGS` and resolves to its JSON line.
 */
export async function ensureDemoTenant({ root, gatewayUrl, ingestUrl, bootstrap, say = () => {} }) {
  const file = path.join(root, DEMO_FILE);
  const saved = readSaved(file);
  let credential;
  if (saved) {
    const { status } = await client(gatewayUrl, saved)('GET', `/v1/properties/${saved.propid}`);
    if (status === 200) credential = saved;
    else
      say(`the credential in ${DEMO_FILE} no longer works (GET its property: ${status}); issuing a new one`);
  }
  const reused = credential !== undefined;
  if (!reused) {
    const issued = await bootstrap();
    if (!issued?.accessKey || !issued.secretKey || !issued.propid) {
      throw new Error(`bootstrap printed no credential: ${JSON.stringify(issued)}`);
    }
    const found = (yes) => (yes ? 'created' : 'found');
    say(
      `bootstrap issued admin credential ${issued.accessKey} (organisation ${DEMO.org} ${found(issued.created?.org)}, ` +
        `property "${DEMO.property}" ${found(issued.created?.property)})`,
    );
    credential = {
      org: issued.org,
      propid: issued.propid,
      accessKey: issued.accessKey,
      secretKey: issued.secretKey,
    };
    // Written at once: a start interrupted while seeding keeps this credential (and its Idempotency-Keys).
    writeSaved(file, { ...credential, gatewayUrl, ingestUrl });
  }
  const created = {};
  const api = client(gatewayUrl, credential);
  const seeded = await seed(api, credential.propid, created);
  const ingest = await ensureIngestKey(api, seeded.pid, saved?.ingestKey, created);
  const summary = Object.entries(created).map(([kind, n]) => `${n} ${kind}`);
  say(`demo tenant: ${summary.length > 0 ? `created ${summary.join(', ')}` : 'everything already there'}`);
  const demo = {
    ...(reused ? saved : {}), // keeps fields other code adds to the file (e.g. an ingest key)
    org: credential.org,
    propid: credential.propid,
    pid: seeded.pid,
    levelId: seeded.levels[DEMO.levels[0].name],
    zoneId: seeded.zones[DEMO.zones[0].name],
    accessKey: credential.accessKey,
    secretKey: credential.secretKey,
    ingestKey: ingest.key,
    gatewayUrl,
    ingestUrl,
    levels: seeded.levels,
    zones: seeded.zones,
    devices: seeded.devices,
    seats: seeded.seats,
  };
  writeSaved(file, demo);
  for (const stale of ingest.stale) {
    expect(await api('DELETE', `/v1/buildings/${seeded.pid}/ingest-keys/${stale.id}`), 204);
    say(`revoked the earlier demo ingest key ${stale.id}`);
  }
  await waitForIngestKey(ingestUrl, ingest.key);
  return { ...demo, reused, file };
}

/**
 * The demo building's ingest key: the saved one while the building lists it as active, else a new one
 * (`stale`: the other active demo keys, to revoke once the new one is saved).
 */
async function ensureIngestKey(api, pid, savedKey, tally) {
  const active = await listAll(api, `/v1/buildings/${pid}/ingest-keys`);
  const savedId = /^mik_([a-z2-7]{12})_/.exec(typeof savedKey === 'string' ? savedKey : '')?.[1];
  if (savedId && active.some((key) => key.id === savedId)) return { key: savedKey, stale: [] };
  const issued = expect(
    await api('POST', `/v1/buildings/${pid}/ingest-keys`, { body: { name: DEMO_INGEST_KEY_NAME } }),
    201,
  );
  tally['ingest key'] = 1;
  return { key: issued.key, stale: active.filter((key) => key.name === DEMO_INGEST_KEY_NAME) };
}

/**
 * Waits (up to 15 s) until push-ingress knows the key, so the printed curl works at once: an empty batch
 * with the key is refused as empty (400) once the key is known, as unknown (401) before.
 */
async function waitForIngestKey(ingestUrl, key) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await fetch(`${ingestUrl}/v1/sensor-data`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: '[]',
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    if (response.status !== 401 && response.status !== 503) return;
    if (Date.now() > deadline) {
      throw new Error(`push-ingress still refuses the demo ingest key (${response.status}) after 15 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The file's content when it holds a credential, else undefined (missing or unreadable: start over). */
function readSaved(file) {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    return ['org', 'propid', 'accessKey', 'secretKey'].every((k) => typeof saved?.[k] === 'string')
      ? saved
      : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the file with mode 0600 through a temporary file, so it is never half written. */
function writeSaved(file, content) {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
  renameSync(temporary, file);
}

/** A REST v1 caller with Basic credentials: `(method, path, {body, key}) → {status, body, replayed}`. */
function client(gatewayUrl, { accessKey, secretKey }) {
  const authorization = `Basic ${Buffer.from(`${accessKey}:${secretKey}`).toString('base64')}`;
  return async (method, url, { body, key } = {}) => {
    const headers = { authorization, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (key) headers['idempotency-key'] = key;
    const response = await fetch(`${gatewayUrl}${url}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the error message
    }
    return {
      status: response.status,
      body: parsed,
      replayed: response.headers.get('idempotent-replayed') === 'true',
      what: `${method} ${url}`,
    };
  };
}

/** The answer's body when its status is one of `ok`, else an error naming the call and the problem. */
function expect(answer, ...ok) {
  if (ok.includes(answer.status)) return answer.body;
  const detail =
    typeof answer.body === 'object' ? (answer.body?.detail ?? JSON.stringify(answer.body)) : answer.body;
  throw new Error(`demo tenant: ${answer.what} answered ${answer.status}: ${detail}`);
}

/** Every item of a cursor-paginated REST list. */
async function listAll(api, url) {
  const items = [];
  let cursor = null;
  do {
    const page = expect(
      await api('GET', cursor ? `${url}${url.includes('?') ? '&' : '?'}cursor=${cursor}` : url),
      200,
    );
    items.push(...page.items);
    cursor = page.nextCursor ? encodeURIComponent(page.nextCursor) : null;
  } while (cursor);
  return items;
}

/**
 * `find()`, or else POST `body` to `url` and count it in `tally[kind]`; `pick` takes the entity from
 * the answer. The Idempotency-Key is derived from the request, so a rerun after a crash (same
 * credential) repeats the same key and gets the first answer back, while a different request (e.g. a
 * slot for a recreated zone) never collides with it. A 409 (a unique name taken meanwhile) means find
 * it again. A replayed answer may describe an entity removed since: then it must be found, or is
 * created once more under a fresh key.
 */
async function findOrCreate(api, tally, kind, find, url, body, pick = (created) => created) {
  const found = await find();
  if (found) return found;
  const key = `demo-seed-${digest(`${url}\n${JSON.stringify(body)}`)}`;
  const post = async (idempotencyKey) => {
    const answer = await api('POST', url, { key: idempotencyKey, body });
    return { ...answer, body: answer.status < 300 ? pick(answer.body) : answer.body };
  };
  const answer = await post(key);
  if (answer.status === 409) {
    const winner = await find();
    if (winner) return winner;
  }
  let created = expect(answer, 200, 201);
  if (answer.replayed) created = (await find()) ?? expect(await post(`${key}-${Date.now()}`), 200, 201);
  tally[kind] = (tally[kind] ?? 0) + 1;
  return created;
}

/** Building, levels, zones and device slots of the demo, found or created; returns their ids. */
async function seed(api, propid, tally) {
  const { pid } = await findOrCreate(
    api,
    tally,
    'building',
    async () =>
      (await listAll(api, `/v1/properties/${propid}/buildings`)).find((b) => same(b.name, DEMO.building)),
    `/v1/properties/${propid}/buildings`,
    { name: DEMO.building, levelsCount: DEMO.levels.length, timeZone: DEMO.timeZone },
  );

  const levels = {};
  for (const { name, level } of DEMO.levels) {
    const found = await findOrCreate(
      api,
      tally,
      'levels',
      async () => (await listAll(api, `/v1/buildings/${pid}/levels`)).find((l) => same(l.name, name)),
      `/v1/buildings/${pid}/levels`,
      { name, level },
    );
    levels[name] = found.lid;
  }

  const zones = {};
  for (const { name, level } of DEMO.zones) {
    const lid = levels[level];
    const found = await findOrCreate(
      api,
      tally,
      'zones',
      async () =>
        (await listAll(api, `/v1/buildings/${pid}/zones?levelId=${lid}`)).find((z) => same(z.name, name)),
      `/v1/buildings/${pid}/zones`,
      { zones: [{ name, lid }] },
      (created) => created?.items?.[0],
    );
    zones[name] = found.insId;
  }

  const devices = [];
  for (const { alias, type, zone, display } of DEMO.devices) {
    const slot = await findOrCreate(
      api,
      tally,
      'device slots',
      async () => {
        const answer = await api('GET', `/v1/device-slots/${alias}`);
        return answer.status === 404 ? undefined : [expect(answer, 200)].find((s) => s.pid === pid);
      },
      `/v1/buildings/${pid}/device-slots`,
      { alias, type, zoneId: zones[zone], display },
    );
    devices.push({ alias, type: slot.type, zoneId: slot.zoneId, display: slot.display ?? display });
  }
  // Seats (people who receive incidents), owned by incident-service, found by user name.
  const seats = {};
  for (const { userName, userGroup } of DEMO.seats) {
    const found = await findOrCreate(
      api,
      tally,
      'seats',
      async () =>
        (await listAll(api, `/v1/properties/${propid}/seats`)).find((s) => same(s.userName, userName)),
      `/v1/properties/${propid}/seats`,
      { userName, userGroup },
    );
    seats[userName] = found.seatId;
  }
  return { pid, levels, zones, devices, seats };
}

const digest = (text) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/** The ready banner's lines about the demo tenant: where the file is and a working curl per API surface. */
export function demoBannerLines(demo) {
  const auth = `-u '${demo.accessKey}:${demo.secretKey}'`;
  const actions =
    `${demo.gatewayUrl}/prod/v2/scgrids/v1/actions?op=scgrids.buildingZoneMap` +
    `&org=${demo.org}&pid=${demo.pid}&propid=${demo.propid}`;
  return [
    `Demo tenant (${demo.reused ? 'reused' : 'new admin credential'}): ${DEMO.org} / ${DEMO.property} / ${DEMO.building},`,
    `${DEMO.levels.length} levels, ${Object.keys(demo.zones).length} zones, ${demo.devices.length} device slots;` +
      ` ids and credential in ${demo.file}`,
    '  REST v1 zone map:',
    `  curl -sS ${auth} ${demo.gatewayUrl}/v1/buildings/${demo.pid}/zone-map`,
    '  Matrix actions API (what the SDKs call):',
    `  curl -sS ${auth} -X POST '${actions}' -H 'content-type: application/json' -d '{}'`,
  ];
}
