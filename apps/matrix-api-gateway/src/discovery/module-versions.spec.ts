import { DomainError } from '../domain-error';
import { baseOfHost, moduleVersions } from './module-versions';

describe('moduleVersions', () => {
  it('is the registry as the SDKs read it: base, and each module with the documented version', () => {
    expect(moduleVersions('api.example.com/prod/v2', ['scgrids', 'scworkforcemanagement'])).toEqual({
      base: 'api.example.com/prod/v2',
      modules: { scgrids: { version: 'v1' }, scworkforcemanagement: { version: 'v1' } },
    });
  });
});

describe('baseOfHost', () => {
  it('is the Host header (host and port) followed by the /prod/v2 the actions API is served under', () => {
    expect(baseOfHost('127.0.0.1:8080')).toBe('127.0.0.1:8080/prod/v2');
    expect(baseOfHost('gateway.example.com')).toBe('gateway.example.com/prod/v2');
    expect(baseOfHost('[::1]:8080')).toBe('[::1]:8080/prod/v2');
  });

  it.each([
    ['missing', undefined, 'Host: is required (or configure GATEWAY_PUBLIC_BASE)'],
    ['empty', '', 'Host: is required (or configure GATEWAY_PUBLIC_BASE)'],
    ['with a path', 'evil.example/x', 'Host: must be host[:port] (or configure GATEWAY_PUBLIC_BASE)'],
    ['with markup', 'a"><script>', 'Host: must be host[:port] (or configure GATEWAY_PUBLIC_BASE)'],
    ['with a user', 'user@host', 'Host: must be host[:port] (or configure GATEWAY_PUBLIC_BASE)'],
    ['with a scheme', 'http://host', 'Host: must be host[:port] (or configure GATEWAY_PUBLIC_BASE)'],
  ])('refuses a Host header %s as INVALID naming the header', (_case, host, detail) => {
    let refusal: unknown;
    try {
      baseOfHost(host);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DomainError);
    expect(refusal).toMatchObject({ code: 'INVALID', details: [detail] });
  });
});
