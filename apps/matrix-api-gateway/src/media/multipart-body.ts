import { BadRequestException } from '@nestjs/common';
import busboy from 'busboy';
import { MAX_MEDIA_BYTES } from './media-content';

/** A file part of a `multipart/form-data` body: its bytes and what the client said about it. */
export class UploadedFile {
  constructor(
    readonly bytes: Buffer,
    /** As the client sent it (may be a path: the ops check it), or undefined. */
    readonly fileName: string | undefined,
    /** The part's own Content-Type, as the client declared it. */
    readonly declaredType: string | undefined,
    /** The part went past {@link MAX_MEDIA_BYTES}; `bytes` holds only its first MAX_MEDIA_BYTES + 1. */
    readonly truncated: boolean,
  ) {}
}

/**
 * Most bytes of a `multipart/form-data` body the gateway reads: one file of {@link MAX_MEDIA_BYTES} and
 * its fields and part headers. Larger bodies are refused with 413 before they are parsed.
 */
export const MULTIPART_BODY_LIMIT = MAX_MEDIA_BYTES + 256 * 1024;

const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Reads a `multipart/form-data` body (the reference's FORMDATA uploads: `uploadMediaAttachment`,
 * `updateLevelFloorPlan`) into an object: each text field as a string, the one file as an
 * {@link UploadedFile} under its field name. Refused (400): more than one file, more than 20 fields, a
 * repeated field, a prototype key as a field name, a malformed body. A file past MAX_MEDIA_BYTES is cut
 * one byte later and marked `truncated`, so the op can refuse it naming the limit.
 */
export function parseMultipartBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const body: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    let problem: string | undefined;
    const refuse = (message: string) => {
      problem ??= message;
    };
    const take = (name: string, value: unknown) => {
      if (PROTOTYPE_KEYS.has(name)) return refuse(`The field name ${name} is not allowed`);
      if (name in body) return refuse(`The field ${name} is given more than once`);
      body[name] = value;
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { 'content-type': contentType ?? '' },
        // One byte past the limit, so that a file of exactly MAX_MEDIA_BYTES is whole and not `truncated`.
        limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: MAX_MEDIA_BYTES + 1, parts: 21 },
        defParamCharset: 'utf8',
        // The name as sent (busboy would cut it to its last segment): a path in it is refused, not hidden.
        preservePath: true,
      });
    } catch (error) {
      return reject(new BadRequestException(`The multipart body is malformed: ${(error as Error).message}`));
    }
    parser.on('field', (name, value) => take(name, value));
    parser.on('file', (name, stream, info) => {
      const chunks: Buffer[] = [];
      let truncated = false;
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        truncated = true;
      });
      stream.on('close', () => {
        take(name, new UploadedFile(Buffer.concat(chunks), info.filename, info.mimeType, truncated));
      });
    });
    parser.on('filesLimit', () => refuse('Send one file per upload'));
    parser.on('fieldsLimit', () => refuse('The body has more than 20 fields'));
    parser.on('partsLimit', () => refuse('The body has more than 21 parts'));
    parser.on('error', (error: Error) =>
      reject(new BadRequestException(`The multipart body is malformed: ${error.message}`)),
    );
    parser.on('close', () => {
      if (problem) reject(new BadRequestException(problem));
      else resolve({ ...body });
    });
    parser.end(raw);
  });
}
