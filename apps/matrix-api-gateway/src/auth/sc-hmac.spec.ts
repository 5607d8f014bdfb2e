import { signature, stringToSign, verifySignature, type SigningInput } from './sc-hmac';

// Reference §4.2 test vector.
const VECTOR: SigningInput = {
  module: 'attendance',
  propid: 'propid',
  op: 'scattendance.readIntegration',
  accessKey: 'dummyaccesskey/abcd',
  time: 1631346630,
};
const SECRET = 'mydummysecretkey';
const EXPECTED = '5f7a71f6ae877c13954c8a70a485ac656bfa5f7cdd1417866660c8e5198d9bf5';

describe('SC-HMAC v1', () => {
  it('builds the reference string to sign', () => {
    expect(stringToSign(VECTOR)).toBe(
      'attendance/propid/scattendance.readIntegration/dummyaccesskey/abcd/1631346630',
    );
  });

  it('computes the reference signature', () => {
    expect(signature(SECRET, stringToSign(VECTOR))).toBe(EXPECTED);
  });

  it('verifies the reference signature, in either hex case', () => {
    expect(verifySignature(SECRET, stringToSign(VECTOR), EXPECTED)).toBe(true);
    expect(verifySignature(SECRET, stringToSign(VECTOR), EXPECTED.toUpperCase())).toBe(true);
  });

  it.each<[keyof SigningInput, string]>([
    ['module', 'attendancf'],
    ['propid', 'propie'],
    ['op', 'scattendance.readIntegratioN'],
    ['accessKey', 'dummyaccesskey/abce'],
    ['time', '1631346631'],
  ])('refuses the signature when %s is changed', (field, value) => {
    expect(verifySignature(SECRET, stringToSign({ ...VECTOR, [field]: value }), EXPECTED)).toBe(false);
  });

  it('refuses the signature under another secret', () => {
    expect(verifySignature('mydummysecretkez', stringToSign(VECTOR), EXPECTED)).toBe(false);
  });

  it.each(['', EXPECTED.slice(1), `${EXPECTED}0`, `${EXPECTED.slice(0, 63)}g`, ` ${EXPECTED.slice(1)}`])(
    'treats a malformed signature %j as a mismatch without throwing',
    (given) => {
      expect(verifySignature(SECRET, stringToSign(VECTOR), given)).toBe(false);
    },
  );

  it('refuses a tampered signature (one hex digit flipped)', () => {
    const flipped = `${EXPECTED.slice(0, 10)}${EXPECTED[10] === '0' ? '1' : '0'}${EXPECTED.slice(11)}`;
    expect(verifySignature(SECRET, stringToSign(VECTOR), flipped)).toBe(false);
  });
});

describe('the worked examples of docs/authentication.md', () => {
  const credential = {
    accessKey: 'AKQ2M7XKPLW4RJ5TZ3NB6C',
    secret: '3vYH1cF0m3d8QXh6bq2Zr1WkP9tJx4sL7uNa0eGdK5o',
  };

  it('signs the actions API example', () => {
    const text = stringToSign({
      module: 'scgrids',
      propid: '6f1c2b3a4d5e6f708192a3b4c5d6e7f8',
      op: 'scgrids.readProperty',
      accessKey: credential.accessKey,
      time: 1764250000,
    });
    expect(signature(credential.secret, text)).toBe(
      '366b6595b04edbbbe7ca434566bfe5b6e172d300a9d957891fb4216e3f448f2f',
    );
  });

  it('signs the REST example', () => {
    const text = stringToSign({
      module: 'rest',
      propid: '6f1c2b3a4d5e6f708192a3b4c5d6e7f8',
      op: 'GET:/v1/buildings/0a1b2c3d4e5f60718293a4b5c6d7e8f9/zone-map',
      accessKey: credential.accessKey,
      time: 1764250000,
    });
    expect(signature(credential.secret, text)).toBe(
      '2ddabcde6c4c5fac26715001dfb44e5ef6f7143c2f01fc7c70dee405e076ea46',
    );
  });
});
