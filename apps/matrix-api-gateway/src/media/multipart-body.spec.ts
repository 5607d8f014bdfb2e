import { MAX_MEDIA_BYTES } from './media-content';
import { parseMultipartBody, UploadedFile } from './multipart-body';

const BOUNDARY = 'xYzZy';
const TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

/** A multipart body of `parts` written by hand, as a client sends it. */
function body(
  ...parts: Array<{ name: string; value: string | Buffer; fileName?: string; type?: string }>
): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.fileName === undefined ? '' : `; filename="${part.fileName}"`}`;
    const headers = `Content-Disposition: ${disposition}\r\n${part.type ? `Content-Type: ${part.type}\r\n` : ''}`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\n${headers}\r\n`), Buffer.from(part.value), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

describe('parseMultipartBody', () => {
  it('reads text fields and one file with its name and declared type', async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const parsed = await parseMultipartBody(
      body(
        { name: 'Type', value: 'image' },
        { name: 'File', value: bytes, fileName: 'a.png', type: 'image/png' },
      ),
      TYPE,
    );
    expect(parsed['Type']).toBe('image');
    expect(parsed['File']).toEqual(new UploadedFile(bytes, 'a.png', 'image/png', false));
  });

  it('keeps a path in the file name, so the op can refuse it', async () => {
    const parsed = await parseMultipartBody(
      body({ name: 'File', value: 'x', fileName: '../../etc/passwd' }),
      TYPE,
    );
    expect((parsed['File'] as UploadedFile).fileName).toBe('../../etc/passwd');
  });

  it('marks a file past the limit truncated and keeps no more than one byte over it', async () => {
    const parsed = await parseMultipartBody(
      body({ name: 'File', value: Buffer.alloc(MAX_MEDIA_BYTES + 100), fileName: 'big' }),
      TYPE,
    );
    const file = parsed['File'] as UploadedFile;
    expect(file.truncated).toBe(true);
    expect(file.bytes.length).toBe(MAX_MEDIA_BYTES + 1);
  });

  it('refuses two files, a repeated field, a prototype key and a body without a boundary', async () => {
    await expect(
      parseMultipartBody(
        body({ name: 'A', value: 'x', fileName: 'a' }, { name: 'B', value: 'y', fileName: 'b' }),
        TYPE,
      ),
    ).rejects.toThrow('Send one file per upload');
    await expect(
      parseMultipartBody(body({ name: 'LID', value: 'a' }, { name: 'LID', value: 'b' }), TYPE),
    ).rejects.toThrow('The field LID is given more than once');
    await expect(parseMultipartBody(body({ name: '__proto__', value: 'x' }), TYPE)).rejects.toThrow(
      'The field name __proto__ is not allowed',
    );
    await expect(parseMultipartBody(Buffer.from('x'), 'multipart/form-data')).rejects.toThrow(
      'The multipart body is malformed',
    );
  });
});
