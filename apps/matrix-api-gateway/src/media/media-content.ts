/**
 * What an upload is, read from its first bytes (the "magic numbers"), never from the client's word.
 *
 * A small signature table, not the `file-type` package: file-type is ESM-only since v17 and the gateway
 * builds and tests as CommonJS (Jest with SWC), and we accept only these few types anyway. Each entry
 * is the type's own published signature:
 * PNG (RFC 2083 §12.11), JPEG (SOI marker FF D8 FF), GIF (GIF87a/GIF89a), WebP (RIFF….WEBP),
 * PDF (`%PDF-`), MP4/QuickTime (ISO BMFF: `ftyp` box at offset 4), WebM (EBML header 1A 45 DF A3).
 */
export type MediaKind = 'image' | 'video' | 'document';

interface Signature {
  readonly contentType: string;
  readonly kind: MediaKind;
  matches(bytes: Buffer): boolean;
}

const startsWith = (bytes: Buffer, prefix: number[] | string, offset = 0): boolean => {
  const expected = typeof prefix === 'string' ? Buffer.from(prefix, 'latin1') : Buffer.from(prefix);
  return (
    bytes.length >= offset + expected.length &&
    bytes.subarray(offset, offset + expected.length).equals(expected)
  );
};

const SIGNATURES: readonly Signature[] = [
  {
    contentType: 'image/png',
    kind: 'image',
    matches: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { contentType: 'image/jpeg', kind: 'image', matches: (b) => startsWith(b, [0xff, 0xd8, 0xff]) },
  {
    contentType: 'image/gif',
    kind: 'image',
    matches: (b) => startsWith(b, 'GIF87a') || startsWith(b, 'GIF89a'),
  },
  {
    contentType: 'image/webp',
    kind: 'image',
    matches: (b) => startsWith(b, 'RIFF') && startsWith(b, 'WEBP', 8),
  },
  { contentType: 'application/pdf', kind: 'document', matches: (b) => startsWith(b, '%PDF-') },
  { contentType: 'video/webm', kind: 'video', matches: (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) },
  {
    contentType: 'video/quicktime',
    kind: 'video',
    matches: (b) => startsWith(b, 'ftyp', 4) && startsWith(b, 'qt  ', 8),
  },
  { contentType: 'video/mp4', kind: 'video', matches: (b) => startsWith(b, 'ftyp', 4) },
];

/** Largest upload: 2 MB (reference §4.10, "images ≤ 2 MB"), read as 2 MiB like the gateway's body limit. */
export const MAX_MEDIA_BYTES = 2 * 1024 * 1024;

/** The content type the bytes are, with its kind, or undefined when they are none we accept. */
export function sniffMedia(bytes: Buffer): { contentType: string; kind: MediaKind } | undefined {
  const found = SIGNATURES.find((signature) => signature.matches(bytes));
  return found ? { contentType: found.contentType, kind: found.kind } : undefined;
}

/** Content types a client may declare for each one we detect (aliases seen in the wild). */
const ALIASES: Record<string, string> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg' };

/** A declared type that says nothing (browsers and curl send it for an unknown file): not compared. */
const UNSPECIFIC = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export interface UploadCheck {
  bytes: Buffer;
  /** The file's name as the client sent it, or undefined. Kept for display only, never as a key. */
  fileName?: string;
  /** The content type the client declared for the file, or undefined. */
  declaredType?: string;
  /** Whether the upload went past {@link MAX_MEDIA_BYTES} (the multipart reader stops there). */
  truncated?: boolean;
  /** Which kinds the op takes (an attachment of `Type` image: images only). */
  accept: readonly MediaKind[];
}

/**
 * Why an upload is refused, or undefined when it may be stored. Checked in this order: size, file name,
 * then content (so a path-traversal name is refused whatever the bytes). `limit` problems are
 * LIMIT_VIOLATED; the others WRONG_PARAMETERS.
 */
export function uploadProblem(
  check: UploadCheck,
): { kind: 'limit' | 'content'; message: string } | undefined {
  if (check.truncated || check.bytes.length > MAX_MEDIA_BYTES) {
    return { kind: 'limit', message: `The file exceeds the limit of 2 MB (${MAX_MEDIA_BYTES} bytes)` };
  }
  if (check.bytes.length === 0) return { kind: 'content', message: 'The file is empty' };
  const nameProblem = check.fileName === undefined ? undefined : fileNameProblem(check.fileName);
  if (nameProblem) return { kind: 'content', message: nameProblem };
  const sniffed = sniffMedia(check.bytes);
  if (!sniffed || !check.accept.includes(sniffed.kind)) {
    return {
      kind: 'content',
      message: `The file is not ${acceptedText(check.accept)}${sniffed ? ` (its bytes are ${sniffed.contentType})` : ''}`,
    };
  }
  const declared = (check.declaredType ?? '').split(';')[0]!.trim().toLowerCase();
  const normalised = ALIASES[declared] ?? declared;
  if (!UNSPECIFIC.has(normalised) && normalised !== sniffed.contentType) {
    return {
      kind: 'content',
      message: `The file is declared as ${declared} but its bytes are ${sniffed.contentType}`,
    };
  }
  return undefined;
}

/**
 * Why `name` is not a plain file name: a path (`/` or `\`), `..`, NUL or another control character,
 * or longer than 255 characters. Undefined when it is one.
 */
export function fileNameProblem(name: string): string | undefined {
  const shown = JSON.stringify(name);

  if (/[\u0000-\u001f\u007f]/.test(name)) return `The file name ${shown} contains a control character`;
  if (/[/\\]/.test(name)) return `The file name ${shown} must not contain a path (/ or \\)`;
  if (name.includes('..')) return `The file name ${shown} must not contain ..`;
  if (name.length > 255) return 'The file name is longer than 255 characters';
  return undefined;
}

function acceptedText(accept: readonly MediaKind[]): string {
  const types = SIGNATURES.filter((s) => accept.includes(s.kind)).map((s) => s.contentType);
  return `one of ${[...new Set(types)].join(', ')}`;
}
