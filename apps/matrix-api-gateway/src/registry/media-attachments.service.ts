import { Inject, Injectable } from '@nestjs/common';
import type { RegistryAccess } from '../auth/registry-access';
import { ActionError } from '../actions/action-error';
import { sniffMedia, uploadProblem, type MediaKind } from '../media/media-content';
import { MEDIA_STORE, type MediaStore, type StoredMedia } from '../media/media-store';
import type { UploadedFile } from '../media/multipart-body';
import { BuildingsService } from './buildings.service';
import { LevelsService } from './levels.service';
import { PropertiesService } from './properties.service';
import { newId, RegistryDb } from './registry-db';
import { notFound } from './registry-error';
import type { Level } from './registry.types';

/** Most attachments one `getThumbnails` reads (reference §4.3, §4.10). */
export const MAX_THUMBNAILS_PER_READ = 5;

/** An uploaded object's record: who owns it and what it is (`registry.media_attachments`). */
export interface MediaAttachment {
  uri: string;
  orgId: string;
  propId: string | null;
  pid: string | null;
  entity: string;
  mediaType: string;
  contentType: string;
  size: number;
  fileName: string | null;
  createdOn: Date;
}

/** Whose an upload is: a building (`pid`), else a property, else the caller's organisation. */
export interface MediaOwner {
  pid?: string;
  propId?: string;
}

export interface UploadInput {
  file: UploadedFile;
  entity: string;
  mediaType: string;
  accept: readonly MediaKind[];
}

const toAttachment = (row: Record<string, unknown>): MediaAttachment => ({
  uri: row['uri'] as string,
  orgId: row['org_id'] as string,
  propId: (row['prop_id'] as string | null) ?? null,
  pid: (row['pid'] as string | null) ?? null,
  entity: row['entity'] as string,
  mediaType: row['media_type'] as string,
  contentType: row['content_type'] as string,
  size: row['size'] as number,
  fileName: (row['file_name'] as string | null) ?? null,
  createdOn: row['created_on'] as Date,
});

/**
 * Uploaded media of the registry: attachments and level floor plans, kept in the configured
 * {@link MediaStore}, their owners in `registry.media_attachments`. An upload is checked (size, file name,
 * bytes; `media/media-content.ts`) and its owner's write access before anything is stored, so a refused
 * upload leaves nothing behind; an object whose record then fails to be written is removed again.
 */
@Injectable()
export class MediaAttachmentsService {
  constructor(
    private readonly db: RegistryDb,
    private readonly buildings: BuildingsService,
    private readonly properties: PropertiesService,
    private readonly levels: LevelsService,
    @Inject(MEDIA_STORE) private readonly store: MediaStore,
  ) {}

  async upload(access: RegistryAccess, owner: MediaOwner, input: UploadInput): Promise<MediaAttachment> {
    checkUpload(input.file, input.accept);
    const place = await this.writableOwner(access, owner);
    return this.storeAndRecord(access, place, input);
  }

  /** The attachment `uri` and its bytes; another tenant's, or one that does not exist, is NOT_FOUND. */
  async read(
    access: RegistryAccess,
    uri: string,
  ): Promise<{ attachment: MediaAttachment; object: StoredMedia }> {
    const attachment = await this.visible(access, uri);
    const object = await this.store.get(keyOf(uri));
    if (!object) throw notFound('media attachment', uri);
    return { attachment, object };
  }

  /**
   * Several attachments at once, in the order asked, at most {@link MAX_THUMBNAILS_PER_READ}. The
   * originals: the gateway does not resize (see docs/api.md, "Media").
   */
  async thumbnails(
    access: RegistryAccess,
    uris: string[],
  ): Promise<Array<{ attachment: MediaAttachment; object: StoredMedia }>> {
    if (uris.length > MAX_THUMBNAILS_PER_READ) {
      throw new ActionError(
        'LIMIT_VIOLATED',
        `At most ${MAX_THUMBNAILS_PER_READ} thumbnails per read; ${uris.length} were asked for`,
      );
    }
    const read = [];
    for (const uri of uris) read.push(await this.read(access, uri));
    return read;
  }

  /** Stores `file` as the floor plan of level `lid` of building `pid`; its `FloorPlan` becomes the URI. */
  async updateFloorPlan(
    access: RegistryAccess,
    pid: string,
    lid: string,
    file: UploadedFile,
  ): Promise<Level> {
    checkUpload(file, ['image', 'document']);
    const place = await this.writableOwner(access, { pid });
    await this.levels.read(access, pid, lid);
    const attachment = await this.storeAndRecord(access, place, {
      file,
      entity: 'floorplan',
      mediaType: 'image',
      accept: ['image', 'document'],
    });
    try {
      return await this.levels.update(access, pid, lid, { floorPlan: attachment.uri });
    } catch (error) {
      await this.forget(attachment.uri);
      throw error;
    }
  }

  private async storeAndRecord(
    access: RegistryAccess,
    place: { orgId: string; propId: string | null; pid: string | null },
    input: UploadInput,
  ): Promise<MediaAttachment> {
    const uri = newId();
    const { file } = input;
    // Checked by checkUpload: the bytes are one of the accepted types, which the record keeps.
    const contentType = uploadedType(file);
    await this.store.put(keyOf(uri), { contentType, bytes: file.bytes });
    try {
      const [row] = await this.db.query(
        `insert into registry.media_attachments
           (uri, key, org_id, prop_id, pid, entity, media_type, content_type, size, file_name, created_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning *`,
        [
          uri,
          keyOf(uri),
          place.orgId,
          place.propId,
          place.pid,
          input.entity,
          input.mediaType,
          contentType,
          file.bytes.length,
          file.fileName || null,
          access.actor,
        ],
      );
      return toAttachment(row!);
    } catch (error) {
      await this.store.delete(keyOf(uri));
      throw error;
    }
  }

  private async forget(uri: string): Promise<void> {
    await this.db.query('delete from registry.media_attachments where uri = $1', [uri]);
    await this.store.delete(keyOf(uri));
  }

  private async writableOwner(
    access: RegistryAccess,
    owner: MediaOwner,
  ): Promise<{ orgId: string; propId: string | null; pid: string | null }> {
    if (owner.pid) {
      const building = await this.buildings.load(access, owner.pid, 'write');
      const property = await this.properties.read(access, building.propId);
      return { orgId: property.orgId, propId: building.propId, pid: building.pid };
    }
    if (owner.propId) {
      const property = await this.properties.read(access, owner.propId);
      access.check('write', { orgId: property.orgId, propId: property.propId }, () =>
        notFound('property', owner.propId!),
      );
      return { orgId: property.orgId, propId: property.propId, pid: null };
    }
    access.check('write', { orgId: access.orgId }, () => notFound('organisation', access.orgId));
    return { orgId: access.orgId, propId: null, pid: null };
  }

  private async visible(access: RegistryAccess, uri: string): Promise<MediaAttachment> {
    const missing = () => notFound('media attachment', uri);
    if (!/^[0-9a-f]{32}$/.test(uri)) throw missing();
    const [row] = await this.db.query('select * from registry.media_attachments where uri = $1', [uri]);
    if (!row) throw missing();
    const attachment = toAttachment(row);
    access.check('read', { orgId: attachment.orgId, propId: attachment.propId ?? undefined }, missing);
    return attachment;
  }
}

const keyOf = (uri: string) => `media/${uri}`;

/** Refuses an upload that may not be stored: LIMIT_VIOLATED past 2 MB, WRONG_PARAMETERS otherwise. */
function checkUpload(file: UploadedFile, accept: readonly MediaKind[]): void {
  const problem = uploadProblem({
    bytes: file.bytes,
    fileName: file.fileName,
    declaredType: file.declaredType,
    truncated: file.truncated,
    accept,
  });
  if (problem) {
    throw new ActionError(problem.kind === 'limit' ? 'LIMIT_VIOLATED' : 'WRONG_PARAMETERS', problem.message);
  }
}

function uploadedType(file: UploadedFile): string {
  return sniffMedia(file.bytes)!.contentType;
}
