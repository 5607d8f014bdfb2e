import { fileNameProblem, MAX_MEDIA_BYTES, sniffMedia, uploadProblem } from './media-content';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');
const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
const PDF = Buffer.from('%PDF-1.7\n');
const MP4 = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom')]);
const MOV = Buffer.concat([Buffer.from([0, 0, 0, 0x14]), Buffer.from('ftypqt  ')]);
const WEBM = Buffer.from('1a45dfa39f4286810142', 'hex');

describe('sniffMedia', () => {
  it.each([
    [PNG, 'image/png', 'image'],
    [JPEG, 'image/jpeg', 'image'],
    [GIF, 'image/gif', 'image'],
    [WEBP, 'image/webp', 'image'],
    [PDF, 'application/pdf', 'document'],
    [MP4, 'video/mp4', 'video'],
    [MOV, 'video/quicktime', 'video'],
    [WEBM, 'video/webm', 'video'],
  ])('reads %#: %s', (bytes, contentType, kind) => {
    expect(sniffMedia(bytes)).toEqual({ contentType, kind });
  });

  it('knows nothing of text, a RIFF that is not WebP, or too few bytes', () => {
    expect(sniffMedia(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeUndefined();
    expect(
      sniffMedia(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE')])),
    ).toBeUndefined();
    expect(sniffMedia(Buffer.from([0x89, 0x50]))).toBeUndefined();
  });
});

describe('uploadProblem', () => {
  const image = { accept: ['image'] as const };

  it('accepts an image whose declared type is its own, an alias, or says nothing', () => {
    expect(
      uploadProblem({ ...image, bytes: PNG, declaredType: 'image/png', fileName: 'a.png' }),
    ).toBeUndefined();
    expect(uploadProblem({ ...image, bytes: JPEG, declaredType: 'image/jpg' })).toBeUndefined();
    expect(
      uploadProblem({ ...image, bytes: JPEG, declaredType: 'application/octet-stream' }),
    ).toBeUndefined();
    expect(uploadProblem({ ...image, bytes: JPEG })).toBeUndefined();
  });

  it('refuses a declared type that differs from the bytes, naming both', () => {
    expect(uploadProblem({ ...image, bytes: JPEG, declaredType: 'image/png' })).toEqual({
      kind: 'content',
      message: 'The file is declared as image/png but its bytes are image/jpeg',
    });
  });

  it('refuses bytes of a kind the op does not take, and unknown bytes', () => {
    expect(uploadProblem({ ...image, bytes: PDF })?.message).toBe(
      'The file is not one of image/png, image/jpeg, image/gif, image/webp (its bytes are application/pdf)',
    );
    expect(uploadProblem({ ...image, bytes: Buffer.from('hello') })?.message).toBe(
      'The file is not one of image/png, image/jpeg, image/gif, image/webp',
    );
    expect(uploadProblem({ ...image, bytes: Buffer.alloc(0) })?.message).toBe('The file is empty');
  });

  it('refuses more than 2 MB as a limit, whatever else is wrong', () => {
    const big = Buffer.concat([PNG, Buffer.alloc(MAX_MEDIA_BYTES + 1 - PNG.length)]);
    expect(uploadProblem({ ...image, bytes: big, fileName: '../x' })).toEqual({
      kind: 'limit',
      message: `The file exceeds the limit of 2 MB (${MAX_MEDIA_BYTES} bytes)`,
    });
    expect(uploadProblem({ ...image, bytes: PNG, truncated: true })?.kind).toBe('limit');
    const exact = Buffer.concat([PNG, Buffer.alloc(MAX_MEDIA_BYTES - PNG.length)]);
    expect(uploadProblem({ ...image, bytes: exact })).toBeUndefined();
  });

  it('checks the file name before the bytes', () => {
    expect(uploadProblem({ ...image, bytes: Buffer.from('x'), fileName: '../x' })?.message).toBe(
      'The file name "../x" must not contain a path (/ or \\)',
    );
  });
});

describe('fileNameProblem', () => {
  it.each(['plan.png', 'Floor plan (L1).pdf', 'échantillon.jpg'])('accepts %j', (name) => {
    expect(fileNameProblem(name)).toBeUndefined();
  });

  it.each([
    ['a/b.png', 'must not contain a path'],
    ['..\\b.png', 'must not contain a path'],
    ['..', 'must not contain ..'],
    ['a\u0000.png', 'contains a control character'],
    ['a\n.png', 'contains a control character'],
    ['a\u007f.png', 'contains a control character'],
    ['x'.repeat(256), 'longer than 255 characters'],
  ])('refuses %j (%s)', (name, problem) => {
    expect(fileNameProblem(name)).toContain(problem);
  });
});
