import type { Keys } from './gateway-harness';

/** The smallest valid files of a few types (their signatures and a little body), for upload tests. */
export const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('0000000d49484452000000010000000108060000001f15c489', 'hex'),
]);
export const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
export const WEBM = Buffer.from('1a45dfa39f4286810142f7810142f2810442f381084282847765626d', 'hex');

/** `file` grown (zero bytes appended) to exactly `size` bytes: its signature stays first. */
export const sized = (file: Buffer, size: number) => Buffer.concat([file, Buffer.alloc(size - file.length)]);

/**
 * A Matrix actions call with a `multipart/form-data` body (the reference's FORMDATA uploads), with Basic
 * credentials (reference §4.2): text `fields` and at most one file part.
 */
export async function formAction(
  url: string,
  keys: Keys,
  call: { op: string; org: string; pid?: string; propid?: string },
  fields: Record<string, string>,
  file?: { field?: string; bytes: Buffer; name?: string; type?: string },
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  if (file) {
    const blob = new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' });
    form.append(file.field ?? 'File', blob, file.name ?? 'upload');
  }
  const query = new URLSearchParams({
    op: call.op,
    org: call.org,
    pid: call.pid ?? 'scnoop',
    ...(call.propid ? { propid: call.propid } : {}),
  });
  const response = await fetch(`${url}/prod/v2/scgrids/v1/actions?${query}`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${keys.accessKey}:${keys.secretKey}`).toString('base64')}`,
      'x-sc-identity': 'external',
    },
    body: form,
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON
  }
  return { status: response.status, body };
}
