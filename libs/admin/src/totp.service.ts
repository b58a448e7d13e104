import { Injectable } from '@nestjs/common';
import { generateSync, verifySync } from '@otplib/totp';
import { generateTOTP } from '@otplib/uri';
import { randomBytes } from 'node:crypto';
import { BASE32_PLUGIN, NODE_CRYPTO_PLUGIN } from './node-otp.plugins';

const ISSUER = 'DcisionAI';
const PERIOD_SECONDS = 30;
const PLUGINS = { crypto: NODE_CRYPTO_PLUGIN, base32: BASE32_PLUGIN };

/**
 * RFC 6238 codes as authenticator apps make them: SHA-1, 6 digits, 30 s. One step of clock
 * drift either way is tolerated; replay is refused by the caller with the returned time step.
 */
@Injectable()
export class TotpService {
  generateSecret(): string {
    // 20 bytes (160 bits), the RFC 4226 recommendation, as base32.
    return BASE32_PLUGIN.encode(new Uint8Array(randomBytes(20)));
  }

  uri(secret: string, label: string): string {
    return generateTOTP({ issuer: ISSUER, label, secret, period: PERIOD_SECONDS, digits: 6 });
  }

  /** The RFC 6238 time step the code belongs to, or undefined when it is not a valid code. */
  verify(secret: string, code: string, epochSeconds?: number): number | undefined {
    if (!/^\d{6}$/.test(code)) {
      return undefined;
    }

    try {
      const result = verifySync({
        ...PLUGINS,
        secret,
        token: code,
        period: PERIOD_SECONDS,
        epochTolerance: PERIOD_SECONDS,
        ...(epochSeconds === undefined ? {} : { epoch: epochSeconds }),
      });

      return result.valid ? result.timeStep : undefined;
    } catch {
      return undefined;
    }
  }

  /** The code for a moment (now by default); used by the CLI and tests, not by handlers. */
  generate(secret: string, epochSeconds?: number): string {
    return generateSync({
      ...PLUGINS,
      secret,
      period: PERIOD_SECONDS,
      ...(epochSeconds === undefined ? {} : { epoch: epochSeconds }),
    });
  }
}
