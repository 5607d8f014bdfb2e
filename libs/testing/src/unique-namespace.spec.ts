import { uniqueNamespace } from './unique-namespace';

describe('uniqueNamespace', () => {
  it('builds a lowercase [a-z0-9_] token that ends with the label', () => {
    const ns = uniqueNamespace('messaging');
    expect(ns).toMatch(/^t[a-z0-9]+_messaging$/);
  });

  it('returns a different token on every call with the same label', () => {
    const tokens = Array.from({ length: 100 }, () => uniqueNamespace('same'));
    expect(new Set(tokens).size).toBe(100);
  });

  it('starts with the same run prefix within one module instance', () => {
    const [a, b] = [uniqueNamespace('a'), uniqueNamespace('b')];
    const prefix = (token: string) => token.slice(0, 1 + process.pid.toString(36).length + 5);
    expect(prefix(a)).toBe(prefix(b));
    expect(a.startsWith(`t${process.pid.toString(36)}`)).toBe(true);
  });

  it('lower-cases the label and replaces other characters with underscores', () => {
    expect(uniqueNamespace('Sensor Data.v1>*')).toMatch(/^t[a-z0-9]+_sensor_data_v1$/);
  });

  it('stays a valid PostgreSQL identifier and NATS stream name for long labels', () => {
    const ns = uniqueNamespace('x'.repeat(200));
    expect(ns.length).toBeLessThanOrEqual(63);
    expect(ns).toMatch(/^[a-z_][a-z0-9_]*$/);
    expect(ns.toUpperCase()).toMatch(/^[A-Z0-9_]+$/);
  });

  it('refuses a label without any usable character', () => {
    expect(() => uniqueNamespace('...')).toThrow(TypeError);
  });
});
