import { scHmacHeaders, scHmacSignature, scHmacStringToSign } from './sc-hmac';

describe('SC-HMAC v1', () => {
  it('reproduces the reference test vector exactly (§4.2)', () => {
    const scope = { module: 'attendance', propid: 'propid', op: 'scattendance.readIntegration' };
    const toSign = scHmacStringToSign(scope, 'dummyaccesskey/abcd', 1631346630);
    expect(toSign).toBe('attendance/propid/scattendance.readIntegration/dummyaccesskey/abcd/1631346630');
    expect(scHmacSignature('mydummysecretkey', toSign)).toBe(
      '5f7a71f6ae877c13954c8a70a485ac656bfa5f7cdd1417866660c8e5198d9bf5',
    );
    expect(scHmacHeaders(scope, 'dummyaccesskey/abcd', 'mydummysecretkey', 1631346630)).toEqual({
      authorization:
        'SCHMAC_V1;dummyaccesskey/abcd;5f7a71f6ae877c13954c8a70a485ac656bfa5f7cdd1417866660c8e5198d9bf5',
      'x-sc-time': '1631346630',
    });
  });

  it('reproduces the worked examples of docs/authentication.md for both surfaces', () => {
    const accessKey = 'AKQ2M7XKPLW4RJ5TZ3NB6C';
    const secret = '3vYH1cF0m3d8QXh6bq2Zr1WkP9tJx4sL7uNa0eGdK5o';
    const propid = '6f1c2b3a4d5e6f708192a3b4c5d6e7f8';
    expect(
      scHmacHeaders({ module: 'scgrids', propid, op: 'scgrids.readProperty' }, accessKey, secret, 1764250000)
        .authorization,
    ).toBe(`SCHMAC_V1;${accessKey};366b6595b04edbbbe7ca434566bfe5b6e172d300a9d957891fb4216e3f448f2f`);
    expect(
      scHmacHeaders(
        { module: 'rest', propid, op: 'GET:/v1/buildings/0a1b2c3d4e5f60718293a4b5c6d7e8f9/zone-map' },
        accessKey,
        secret,
        1764250000,
      ).authorization,
    ).toBe(`SCHMAC_V1;${accessKey};2ddabcde6c4c5fac26715001dfb44e5ef6f7143c2f01fc7c70dee405e076ea46`);
  });
});
