import { isFresh, weakEtag } from './http-etag';

describe('weakEtag', () => {
  it("is Express's weak ETag of the body's UTF-8 bytes", () => {
    // What Express sent for the `/health/live` answer (the `etag` package, weak).
    expect(weakEtag('{"status":"ok"}')).toBe('W/"f-VaSQ4oDUiZblZNAEkkN+sX+q3Sg"');
    expect(weakEtag(Buffer.from('{"status":"ok"}'))).toBe('W/"f-VaSQ4oDUiZblZNAEkkN+sX+q3Sg"');
    expect(weakEtag('é')).toMatch(/^W\/"2-/);
  });
});

describe('isFresh', () => {
  const etag = 'W/"f-abc"';

  it('matches an If-None-Match listing the ETag, weakly compared, or `*`', () => {
    expect(isFresh({ 'if-none-match': etag }, etag)).toBe(true);
    expect(isFresh({ 'if-none-match': '"f-abc"' }, etag)).toBe(true);
    expect(isFresh({ 'if-none-match': `W/"other", ${etag}` }, etag)).toBe(true);
    expect(isFresh({ 'if-none-match': '*' }, etag)).toBe(true);
  });

  it('does not match another ETag, no condition, Cache-Control no-cache or an If-Modified-Since', () => {
    expect(isFresh({ 'if-none-match': 'W/"f-abd"' }, etag)).toBe(false);
    expect(isFresh({}, etag)).toBe(false);
    expect(isFresh({ 'if-none-match': etag, 'cache-control': 'no-cache' }, etag)).toBe(false);
    expect(isFresh({ 'if-modified-since': new Date().toUTCString() }, etag)).toBe(false);
  });
});
