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
