/** An object as a media store keeps it: the bytes and what they are. */
export interface StoredMedia {
  readonly contentType: string;
  /** Bytes, the same as `bytes.length`; kept so a listing need not read the bytes. */
  readonly size: number;
  readonly bytes: Buffer;
}

/**
 * Where the gateway keeps uploaded media (attachments, floor plans): `MEDIA_STORE=postgres` (a gateway
 * table, the default, so a local run needs nothing more) or `s3` (any S3-compatible service). Keys are
 * made by the gateway (`media/<32 hex>`), never from a client's file name, so a key can never name
 * another object or a path. Who may read an object is not the store's business: the registry keeps
 * each object's owner beside its key (`registry.media_attachments`).
 */
export interface MediaStore {
  /** Stores `object` under `key`, replacing what was there. */
  put(key: string, object: { contentType: string; bytes: Buffer }): Promise<void>;
  /** The object under `key`, or undefined when there is none. */
  get(key: string): Promise<StoredMedia | undefined>;
  /** Removes the object under `key`; removing a missing one is not an error. */
  delete(key: string): Promise<void>;
}

/** Nest token of the configured {@link MediaStore}. */
export const MEDIA_STORE = Symbol('MEDIA_STORE');

/** The keys the gateway makes: `media/` and 32 lowercase hex characters. */
export const MEDIA_KEY = /^media\/[0-9a-f]{32}$/;
