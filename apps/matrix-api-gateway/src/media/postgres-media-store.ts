import { Database } from '@matrix/persistence';
import type { MediaStore, StoredMedia } from './media-store';

/**
 * Media in the gateway's own database (`registry.media_objects`, bytea), the default store: nothing to set
 * up for a local run, and one backup holds the registry and its media. Objects are at most 2 MB
 * ({@link MAX_MEDIA_BYTES}), well inside what bytea and one query carry.
 */
export class PostgresMediaStore implements MediaStore {
  constructor(private readonly db: Database) {}

  async put(key: string, object: { contentType: string; bytes: Buffer }): Promise<void> {
    await this.db.query(
      `insert into registry.media_objects (key, content_type, size, bytes) values ($1, $2, $3, $4)
       on conflict (key) do update set content_type = excluded.content_type, size = excluded.size,
         bytes = excluded.bytes, created_on = now()`,
      [key, object.contentType, object.bytes.length, object.bytes],
    );
  }

  async get(key: string): Promise<StoredMedia | undefined> {
    const [row] = await this.db.query<{ content_type: string; size: number; bytes: Buffer }>(
      'select content_type, size, bytes from registry.media_objects where key = $1',
      [key],
    );
    return row ? { contentType: row.content_type, size: row.size, bytes: row.bytes } : undefined;
  }

  async delete(key: string): Promise<void> {
    await this.db.query('delete from registry.media_objects where key = $1', [key]);
  }
}
