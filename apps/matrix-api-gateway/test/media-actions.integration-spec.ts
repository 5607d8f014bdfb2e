import { Database } from '@matrix/persistence';
import type { BootstrapResult } from '../src/credentials/bootstrap.command';
import { MAX_MEDIA_BYTES } from '../src/media/media-content';
import { GatewayHarness, type Keys } from './gateway-harness';
import { formAction, JPEG, PNG, sized, WEBM } from './media-uploads';

/*
 * The media ops of issue 16 (reference §4.3, Appendix A; uploadImage §4.8) on a real PostgreSQL and NATS,
 * with the default store (MEDIA_STORE=postgres): uploads as multipart/form-data with the documented
 * fields (Type, Entity, File; file and LID for a floor plan), reads with the documented JSON bodies
 * (URI, URIs), the scgrids envelope; refusals (oversized, mislabelled, path names, another tenant, a
 * read-only key) leave nothing stored.
 */

const gw = new GatewayHarness('media-actions');
let admin: BootstrapResult;
let stranger: BootstrapResult;
let reader: Keys;
let pid: string;
let lid: string;

const grids = (keys: Keys, op: string, body: unknown, call: { pid?: string; propid?: string } = {}) =>
  gw.action(keys, { op: `scgrids.${op}`, org: (keys as BootstrapResult).org ?? admin.org, ...call }, body);

const upload = (
  keys: Keys & { org?: string },
  op: string,
  fields: Record<string, string>,
  file?: { field?: string; bytes: Buffer; name?: string; type?: string },
  call: { pid?: string; org?: string } = {},
) =>
  formAction(
    gw.url,
    keys,
    { op: `scgrids.${op}`, org: call.org ?? keys.org ?? admin.org, pid: call.pid },
    fields,
    file,
  );

/** Rows of both media tables: what a refusal must leave unchanged. */
async function stored(): Promise<{ objects: number; attachments: number }> {
  const db = gw.app.get(Database);
  const [row] = await db.query<{ objects: number; attachments: number }>(
    `select (select count(*)::int from registry.media_objects) as objects,
            (select count(*)::int from registry.media_attachments) as attachments`,
  );
  return { objects: row!.objects, attachments: row!.attachments };
}

/** Runs `refused` and expects it to leave both media tables as they were. */
async function storesNothing(refused: () => Promise<unknown>): Promise<void> {
  const before = await stored();
  await refused();
  expect(await stored()).toEqual(before);
}

beforeAll(async () => {
  await gw.start();
  admin = gw.tenant;
  stranger = await gw.bootstrap('OTHERCO', 'Elsewhere');
  reader = await gw.readKey();
  pid = await gw.building(admin, 'Tower', 1);
  const level = await grids(admin, 'createLevel', { Name: 'G', Level: 'L0' }, { pid });
  expect(level.status).toBe(201);
  lid = level.body.data.LID;
});
afterAll(() => gw.stop());

describe('scgrids.uploadMediaAttachment and getMediaAttachment', () => {
  it('stores an image of the property and answers it back byte for byte', async () => {
    const answer = await upload(
      admin,
      'uploadMediaAttachment',
      { Type: 'image', Entity: 'incident' },
      { field: 'File', bytes: PNG, name: 'spill.png', type: 'image/png' },
    );
    expect(answer).toMatchObject({
      status: 201,
      body: {
        status: 201,
        message: 'Successfully uploaded the media attachment!',
        data: {
          Type: 'image',
          Entity: 'incident',
          ContentType: 'image/png',
          Size: PNG.length,
          FileName: 'spill.png',
          PropID: admin.propid,
        },
      },
    });
    const uri = answer.body.data.URI as string;
    expect(uri).toMatch(/^[0-9a-f]{32}$/);

    const read = await grids(admin, 'getMediaAttachment', { URI: uri });
    expect(read).toMatchObject({ status: 200, body: { status: 200, message: 'Success' } });
    expect(read.body.data).toMatchObject({ URI: uri, ContentType: 'image/png', Size: PNG.length });
    expect(Buffer.from(read.body.data.Content, 'base64').equals(PNG)).toBe(true);
  });

  it('stores a video of a building when pid names it, typed by its bytes', async () => {
    const answer = await upload(
      admin,
      'uploadMediaAttachment',
      { Type: 'video', Entity: 'audits' },
      { field: 'File', bytes: WEBM, name: 'walkthrough', type: 'application/octet-stream' },
      { pid },
    );
    expect(answer.status).toBe(201);
    expect(answer.body.data).toMatchObject({ Type: 'video', ContentType: 'video/webm', PID: pid });
  });

  it('hides an attachment from another tenant (404) but not from a read-only key of its property', async () => {
    const { body } = await upload(
      admin,
      'uploadMediaAttachment',
      { Type: 'image', Entity: 'incident' },
      { field: 'File', bytes: JPEG, name: 'a.jpg', type: 'image/jpeg' },
    );
    const uri = body.data.URI;
    expect(
      await grids(stranger, 'getMediaAttachment', { URI: uri }, { propid: stranger.propid }),
    ).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND', message: `media attachment ${uri} not found` },
    });
    expect((await grids(reader, 'getMediaAttachment', { URI: uri })).status).toBe(200);
    expect(await grids(admin, 'getMediaAttachment', { URI: '../../etc/passwd' })).toMatchObject({
      status: 404,
      body: { code: 'NOT_FOUND' },
    });
    expect(await grids(admin, 'getMediaAttachment', {})).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'Missing URI in the body' },
    });
  });

  it('refuses an image over 2 MB naming the limit, and stores nothing', async () => {
    await storesNothing(async () => {
      const answer = await upload(
        admin,
        'uploadMediaAttachment',
        { Type: 'image', Entity: 'incident' },
        { field: 'File', bytes: sized(PNG, MAX_MEDIA_BYTES + 1), name: 'big.png', type: 'image/png' },
      );
      expect(answer).toMatchObject({
        status: 400,
        body: {
          code: 'LIMIT_VIOLATED',
          message: `The file exceeds the limit of 2 MB (${MAX_MEDIA_BYTES} bytes)`,
        },
      });
    });
    // Exactly 2 MB is allowed.
    const fits = await upload(
      admin,
      'uploadMediaAttachment',
      { Type: 'image', Entity: 'incident' },
      { field: 'File', bytes: sized(PNG, MAX_MEDIA_BYTES), name: 'fits.png', type: 'image/png' },
    );
    expect(fits.status).toBe(201);
  });

  it('refuses a body far past the limit before reading it (413), and stores nothing', async () => {
    await storesNothing(async () => {
      const answer = await upload(
        admin,
        'uploadMediaAttachment',
        { Type: 'image', Entity: 'incident' },
        { field: 'File', bytes: sized(PNG, 3 * MAX_MEDIA_BYTES), name: 'huge.png', type: 'image/png' },
      );
      expect(answer).toMatchObject({ status: 413, body: { code: 'QUERY_LENGTH_EXCEEDED' } });
    });
  });

  it('refuses a mislabelled file naming the declared type and the real one, and stores nothing', async () => {
    await storesNothing(async () => {
      const answer = await upload(
        admin,
        'uploadMediaAttachment',
        { Type: 'image', Entity: 'incident' },
        { field: 'File', bytes: JPEG, name: 'photo.png', type: 'image/png' },
      );
      expect(answer).toMatchObject({
        status: 400,
        body: {
          code: 'WRONG_PARAMETERS',
          message: 'The file is declared as image/png but its bytes are image/jpeg',
        },
      });
    });
    await storesNothing(async () => {
      const answer = await upload(
        admin,
        'uploadMediaAttachment',
        { Type: 'image', Entity: 'incident' },
        { field: 'File', bytes: Buffer.from('#!/bin/sh\necho hi\n'), name: 'x.png', type: 'image/png' },
      );
      expect(answer).toMatchObject({ status: 400, body: { code: 'WRONG_PARAMETERS' } });
      expect(answer.body.message).toMatch(/^The file is not one of image\/png, image\/jpeg/);
    });
    await storesNothing(async () => {
      const answer = await upload(
        admin,
        'uploadMediaAttachment',
        { Type: 'image', Entity: 'incident' },
        { field: 'File', bytes: WEBM, name: 'clip.webm', type: 'video/webm' },
      );
      expect(answer).toMatchObject({ status: 400, body: { code: 'WRONG_PARAMETERS' } });
      expect(answer.body.message).toContain('(its bytes are video/webm)');
    });
  });

  it.each(['../../etc/passwd.png', '..\\..\\boot.png', 'images/a.png', 'x..png'])(
    'refuses the file name %j and stores nothing',
    async (name) => {
      await storesNothing(async () => {
        const answer = await upload(
          admin,
          'uploadMediaAttachment',
          { Type: 'image', Entity: 'incident' },
          { field: 'File', bytes: PNG, name, type: 'image/png' },
        );
        expect(answer).toMatchObject({ status: 400, body: { code: 'WRONG_PARAMETERS' } });
        expect(answer.body.message).toContain(`The file name ${JSON.stringify(name)}`);
      });
    },
  );

  it('refuses missing and unknown fields, a JSON body, a read-only key and another tenant’s building', async () => {
    await storesNothing(async () => {
      expect(
        await upload(admin, 'uploadMediaAttachment', { Type: 'image', Entity: 'incident' }),
      ).toMatchObject({
        status: 400,
        body: {
          code: 'MISSING_PARAMETERS',
          message: 'Missing File in the body (a multipart/form-data file part)',
        },
      });
      expect(
        await upload(
          admin,
          'uploadMediaAttachment',
          { Type: 'excel', Entity: 'incident' },
          { field: 'File', bytes: PNG },
        ),
      ).toMatchObject({
        status: 400,
        body: { code: 'WRONG_PARAMETERS', message: 'Type: must be one of image, video, not excel' },
      });
      expect(
        await grids(admin, 'uploadMediaAttachment', {
          Type: 'image',
          Entity: 'incident',
          File: PNG.toString('base64'),
        }),
      ).toMatchObject({
        status: 400,
        body: {
          code: 'WRONG_PARAMETERS',
          message: 'File: must be a file part of a multipart/form-data body',
        },
      });
      const readOnly = await upload(
        reader,
        'uploadMediaAttachment',
        { Type: 'image', Entity: 'incident' },
        { field: 'File', bytes: PNG, name: 'a.png', type: 'image/png' },
      );
      expect(readOnly.status).toBe(403);
      expect(
        await upload(
          stranger,
          'uploadMediaAttachment',
          { Type: 'image', Entity: 'incident' },
          { field: 'File', bytes: PNG, name: 'a.png', type: 'image/png' },
          { pid },
        ),
      ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: `building ${pid} not found` } });
    });
  });
});

describe('scgrids.getThumbnails', () => {
  it('answers up to 5 attachments in the order asked, and refuses a 6th', async () => {
    const uris: string[] = [];
    for (const bytes of [PNG, JPEG]) {
      const { body } = await upload(
        admin,
        'uploadMediaAttachment',
        { Type: 'image', Entity: 'audits' },
        { field: 'File', bytes },
      );
      uris.push(body.data.URI);
    }
    const answer = await grids(admin, 'getThumbnails', { URIs: [uris[1], uris[0]] });
    expect(answer).toMatchObject({ status: 200, body: { status: 200, message: 'Success' } });
    expect(answer.body.data.map((t: { URI: string; ContentType: string }) => [t.URI, t.ContentType])).toEqual(
      [
        [uris[1], 'image/jpeg'],
        [uris[0], 'image/png'],
      ],
    );
    expect(await grids(admin, 'getThumbnails', { URIs: Array(6).fill(uris[0]) })).toMatchObject({
      status: 400,
      body: { code: 'LIMIT_VIOLATED', message: 'At most 5 thumbnails per read; 6 were asked for' },
    });
    expect(await grids(admin, 'getThumbnails', {})).toMatchObject({
      status: 400,
      body: { code: 'MISSING_PARAMETERS', message: 'Missing URIs in the body' },
    });
    expect(await grids(stranger, 'getThumbnails', { URIs: uris }, { propid: stranger.propid })).toMatchObject(
      {
        status: 404,
        body: { code: 'NOT_FOUND' },
      },
    );
  });
});

describe('scgrids.updateLevelFloorPlan', () => {
  it('stores the level’s floor plan and sets its FloorPlan to the URI', async () => {
    const answer = await upload(
      admin,
      'updateLevelFloorPlan',
      { LID: lid },
      { field: 'file', bytes: PNG, name: 'ground.png', type: 'image/png' },
      { pid },
    );
    expect(answer).toMatchObject({
      status: 200,
      body: { status: 200, message: 'Successfully updated the floor plan!', data: { LID: lid, Name: 'G' } },
    });
    const uri = answer.body.data.FloorPlan as string;
    expect((await grids(admin, 'readLevel', { LID: lid }, { pid })).body.data.FloorPlan).toBe(uri);
    const plan = await grids(admin, 'getMediaAttachment', { URI: uri });
    expect(plan.body.data).toMatchObject({ Entity: 'floorplan', PID: pid, ContentType: 'image/png' });
  });

  it('refuses a missing LID, an unknown level, another tenant and a mislabelled plan, storing nothing', async () => {
    await storesNothing(async () => {
      expect(
        await upload(admin, 'updateLevelFloorPlan', {}, { field: 'file', bytes: PNG }, { pid }),
      ).toMatchObject({
        status: 400,
        body: { code: 'MISSING_PARAMETERS', message: 'Missing LID in the body' },
      });
      expect(
        await upload(admin, 'updateLevelFloorPlan', { LID: 'nope' }, { field: 'file', bytes: PNG }, { pid }),
      ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: 'level nope not found' } });
      expect(
        await upload(stranger, 'updateLevelFloorPlan', { LID: lid }, { field: 'file', bytes: PNG }, { pid }),
      ).toMatchObject({ status: 404, body: { code: 'NOT_FOUND', message: `building ${pid} not found` } });
      expect(
        await upload(
          admin,
          'updateLevelFloorPlan',
          { LID: lid },
          { field: 'file', bytes: PNG, type: 'image/gif' },
          { pid },
        ),
      ).toMatchObject({ status: 400, body: { code: 'WRONG_PARAMETERS' } });
    });
  });
});

describe('scgrids.uploadImage', () => {
  it('stores an image and refuses anything else', async () => {
    const answer = await upload(admin, 'uploadImage', {}, { field: 'File', bytes: JPEG, name: 'unit.jpg' });
    expect(answer).toMatchObject({
      status: 201,
      body: {
        message: 'Successfully uploaded the image!',
        data: { Type: 'image', Entity: 'image', ContentType: 'image/jpeg' },
      },
    });
    await storesNothing(async () => {
      expect(await upload(admin, 'uploadImage', {}, { field: 'File', bytes: WEBM })).toMatchObject({
        status: 400,
        body: { code: 'WRONG_PARAMETERS' },
      });
    });
  });
});
