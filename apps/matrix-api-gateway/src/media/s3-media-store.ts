import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { S3MediaConfig } from '../config/media.config';
import type { MediaStore, StoredMedia } from './media-store';

/** Media in an S3-compatible bucket (`MEDIA_STORE=s3`), for deployments that keep files out of the database. */
export class S3MediaStore implements MediaStore {
  private readonly client: S3Client;

  constructor(private readonly config: S3MediaConfig) {
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // Checksums only where S3 requires them: the SDK's default (CRC32 on every request, since 3.729)
      // is not understood by every S3-compatible service.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(key: string, object: { contentType: string; bytes: Buffer }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.config.bucket,
        Key: key,
        Body: object.bytes,
        ContentType: object.contentType,
        ContentLength: object.bytes.length,
      }),
    );
  }

  async get(key: string): Promise<StoredMedia | undefined> {
    try {
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key }));
      const bytes = Buffer.from(await answer.Body!.transformToByteArray());
      return { contentType: answer.ContentType ?? 'application/octet-stream', size: bytes.length, bytes };
    } catch (error) {
      // NoSuchKey from AWS; some compatible servers answer a bare 404 instead.
      if (error instanceof NoSuchKey) return undefined;
      if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return undefined;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }));
  }

  /** Closes the client's connections (on shutdown, and after tests). */
  close(): void {
    this.client.destroy();
  }
}
