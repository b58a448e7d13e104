import { SecretBox } from './secret-box.cipher';

describe(SecretBox.name, () => {
  const box = new SecretBox(Buffer.from('p'.repeat(32)));

  it('should round-trip a secret without storing it in clear', () => {
    const sealed = box.seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');

    expect(sealed).not.toContain('JBSWY3DP');
    expect(box.open(sealed)).toBe('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  });

  it('should refuse a tampered or foreign ciphertext', () => {
    const sealed = box.seal('secret');
    const other = new SecretBox(Buffer.from('q'.repeat(32)));
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;

    expect(() => other.open(sealed)).toThrow();
    expect(() => box.open(tampered)).toThrow();
    expect(() => box.open('nonsense')).toThrow();
  });
});
