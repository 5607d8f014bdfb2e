import { ActionError } from '../actions/action-error';
import { NO_PID, type ActionDefinition, type ActionRequest } from '../actions/action.types';
import { CaselessBody } from '../actions/caseless-body';
import { UploadedFile } from '../media/multipart-body';
import type { MediaAttachmentsService, MediaOwner } from './media-attachments.service';
import { matrixMediaAttachment, matrixMediaContent } from './media-shapes';
import { matrixLevel } from './matrix-shapes';

/** `Type` of an attachment (reference: "Supports image/video"). */
const MEDIA_TYPES = ['image', 'video'] as const;
/** `Entity` of an attachment (reference: "Supports incident/audits"). */
const ENTITIES = ['incident', 'audits'] as const;

function oneOf<T extends string>(body: CaselessBody, name: string, values: readonly T[], fallback?: T): T {
  const value = fallback === undefined ? body.text(name, true) : body.text(name);
  if (value === undefined) return fallback!;
  const known = values.find((v) => v === value.toLowerCase());
  if (!known) {
    throw new ActionError('WRONG_PARAMETERS', `${name}: must be one of ${values.join(', ')}, not ${value}`);
  }
  return known;
}

function uploadedFile(body: CaselessBody, name: string): UploadedFile {
  const value = body.get(name);
  if (value === undefined || value === '') {
    throw new ActionError(
      'MISSING_PARAMETERS',
      `Missing ${name} in the body (a multipart/form-data file part)`,
    );
  }
  if (!(value instanceof UploadedFile)) {
    throw new ActionError('WRONG_PARAMETERS', `${name}: must be a file part of a multipart/form-data body`);
  }
  return value;
}

function uris(body: CaselessBody): string[] {
  const value = body.get('URIs');
  if (value === undefined) throw new ActionError('MISSING_PARAMETERS', 'Missing URIs in the body');
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw new ActionError('WRONG_PARAMETERS', 'URIs: must be a list of strings');
  }
  return value as string[];
}

/** A building's upload when `pid` names one; else the property's (`propid` or the key's); else the organisation's. */
const ownerOf = (r: ActionRequest): MediaOwner =>
  r.pid !== NO_PID ? { pid: r.pid } : { propId: r.propid ?? r.access.propId ?? undefined };

/**
 * The media ops of `scgrids` (reference §4.3, Appendix A; `uploadImage` §4.8): uploads arrive as
 * `multipart/form-data` (the reference's FORMDATA), reads answer the bytes base64 in `Content`.
 */
export function mediaActions(
  media: MediaAttachmentsService,
  grids: (target: ActionDefinition['target'], handle: ActionDefinition['handle']) => ActionDefinition,
): Record<string, ActionDefinition> {
  return {
    'scgrids.uploadMediaAttachment': grids('none', async (r) => {
      const body = new CaselessBody(r.body);
      const mediaType = oneOf(body, 'Type', MEDIA_TYPES);
      const entity = oneOf(body, 'Entity', ENTITIES);
      const file = uploadedFile(body, 'File');
      const attachment = await media.upload(r.access, ownerOf(r), {
        file,
        entity,
        mediaType,
        accept: [mediaType],
      });
      return {
        status: 201,
        message: 'Successfully uploaded the media attachment!',
        data: matrixMediaAttachment(attachment),
      };
    }),
    // SDK-only (§4.8, no documented body): an image upload, `File` and an optional `Entity`.
    'scgrids.uploadImage': grids('none', async (r) => {
      const body = new CaselessBody(r.body);
      const entity = oneOf(body, 'Entity', [...ENTITIES, 'image'] as const, 'image');
      const file = uploadedFile(body, 'File');
      const attachment = await media.upload(r.access, ownerOf(r), {
        file,
        entity,
        mediaType: 'image',
        accept: ['image'],
      });
      return {
        status: 201,
        message: 'Successfully uploaded the image!',
        data: matrixMediaAttachment(attachment),
      };
    }),
    'scgrids.getMediaAttachment': grids('none', async (r) => {
      const { attachment, object } = await media.read(r.access, new CaselessBody(r.body).text('URI', true));
      return { data: matrixMediaContent(attachment, object) };
    }),
    'scgrids.getThumbnails': grids('none', async (r) => {
      const read = await media.thumbnails(r.access, uris(new CaselessBody(r.body)));
      return { data: read.map(({ attachment, object }) => matrixMediaContent(attachment, object)) };
    }),
    'scgrids.updateLevelFloorPlan': grids('pid', async (r) => {
      const body = new CaselessBody(r.body);
      const lid = body.text('LID', true);
      const level = await media.updateFloorPlan(r.access, r.pid, lid, uploadedFile(body, 'file'));
      return { message: 'Successfully updated the floor plan!', data: matrixLevel(level) };
    }),
  };
}
