import { TotpService } from './totp.service';

describe(TotpService.name, () => {
  const totp = new TotpService();

  it('should accept the current code and say which time step it belongs to', () => {
    const secret = totp.generateSecret();
    const now = 1_800_000_000;

    expect(totp.verify(secret, totp.generate(secret, now), now)).toBe(Math.floor(now / 30));
  });

  it('should tolerate one step of drift but not two', () => {
    const secret = totp.generateSecret();
    const now = 1_800_000_000;

    expect(totp.verify(secret, totp.generate(secret, now - 30), now)).toBe(
      Math.floor(now / 30) - 1,
    );
    expect(totp.verify(secret, totp.generate(secret, now - 90), now)).toBeUndefined();
  });

  it('should refuse malformed codes and codes of another secret', () => {
    const secret = totp.generateSecret();

    expect(totp.verify(secret, 'abcdef')).toBeUndefined();
    expect(totp.verify(secret, '12345')).toBeUndefined();
    expect(totp.verify(totp.generateSecret(), totp.generate(secret))).toBeUndefined();
  });

  it('should produce a 160-bit base32 secret and an authenticator URI', () => {
    const secret = totp.generateSecret();

    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(totp.uri(secret, 'ops')).toMatch(/^otpauth:\/\/totp\/DcisionAI:ops\?.*secret=/);
  });

  it('should match the RFC 6238 SHA-1 test vectors (last six digits)', () => {
    // RFC 6238 appendix B secret "12345678901234567890" in base32.
    const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

    expect(totp.generate(secret, 59)).toBe('287082');
    expect(totp.generate(secret, 1111111109)).toBe('081804');
    expect(totp.generate(secret, 1234567890)).toBe('005924');
    expect(totp.generate(secret, 2000000000)).toBe('279037');
  });
});
