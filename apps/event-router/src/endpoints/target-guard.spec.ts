import { TargetGuard } from './target-guard';
import { TargetRefusedError } from './target-refused-error';

const resolvingTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('TargetGuard', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:a9fe:a9fe',
    '64:ff9b::a00:1',
    '224.0.0.1',
  ])('refuses %s', async (address) => {
    const guard = new TargetGuard('', resolvingTo(address));
    await expect(guard.check('https://hooks.example.com/x')).rejects.toBeInstanceOf(TargetRefusedError);
  });

  it('accepts a public https target and answers the address it checked', async () => {
    const guard = new TargetGuard('', resolvingTo('93.184.216.34'));
    await expect(guard.check('https://hooks.example.com/x')).resolves.toMatchObject({
      address: '93.184.216.34',
      family: 4,
    });
  });

  it('refuses a name resolving to any internal address, and plain http', async () => {
    await expect(
      new TargetGuard('', resolvingTo('93.184.216.34', '10.0.0.1')).check('https://x.example/'),
    ).rejects.toThrow(/10\.0\.0\.1/);
    await expect(
      new TargetGuard('', resolvingTo('93.184.216.34')).check('http://x.example/'),
    ).rejects.toThrow(/https/);
    await expect(
      new TargetGuard('', resolvingTo('93.184.216.34')).check('ftp://x.example/'),
    ).rejects.toThrow();
  });

  it('lets the allow-list open loopback and CIDR ranges, http included', async () => {
    const guard = new TargetGuard('loopback,10.9.0.0/16', resolvingTo('10.9.3.4'));
    await expect(guard.check('http://127.0.0.1:8080/hook')).resolves.toMatchObject({ address: '127.0.0.1' });
    await expect(guard.check('http://[::1]:8080/hook')).resolves.toMatchObject({ family: 6 });
    await expect(guard.check('http://internal.example/')).resolves.toMatchObject({ address: '10.9.3.4' });
    await expect(guard.check('http://10.8.0.1/')).rejects.toThrow(TargetRefusedError);
  });

  it('refuses a malformed allow-list entry', () => {
    expect(() => new TargetGuard('10.0.0.0/40')).toThrow(/prefix/);
    expect(() => new TargetGuard('intranet')).toThrow(/not an IP/);
  });
});
