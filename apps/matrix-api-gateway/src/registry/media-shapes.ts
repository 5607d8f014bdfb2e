import type { StoredMedia } from '../media/media-store';
import type { MediaAttachment } from './media-attachments.service';

/** An uploaded attachment as the upload ops answer it (no bytes). */
export function matrixMediaAttachment(a: MediaAttachment): Record<string, unknown> {
  return {
    URI: a.uri,
    Type: a.mediaType,
    Entity: a.entity,
    ContentType: a.contentType,
    Size: a.size,
    ...(a.fileName ? { FileName: a.fileName } : {}),
    ...(a.pid ? { PID: a.pid } : {}),
    ...(a.propId ? { PropID: a.propId } : {}),
    CreatedOn: Math.floor(a.createdOn.getTime() / 1000),
  };
}

/** An attachment with its bytes (`Content`, base64), as `getMediaAttachment` and `getThumbnails` answer. */
export function matrixMediaContent(a: MediaAttachment, object: StoredMedia): Record<string, unknown> {
  return {
    ...matrixMediaAttachment(a),
    ContentType: object.contentType,
    Content: object.bytes.toString('base64'),
  };
}
