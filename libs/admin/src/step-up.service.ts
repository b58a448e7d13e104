import { Inject, Injectable, Logger } from '@nestjs/common';
import { AdminKeyRepository, KeyMaterialService, StepUpTokenRepository } from '@app/auth';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { TotpService } from './totp.service';

/**
 * Step-up attempts allowed per admin key and window. Three codes are valid at a time (one step of
 * drift either way), so a guess wins 3 times in 10^6: at 5 per 5 minutes that takes months.
 */
const OTP_ATTEMPTS_PER_WINDOW = 5;
const OTP_ATTEMPT_WINDOW_MS = 5 * 60_000;

/**
 * Exchanges a one-time code for a short-lived step-up token bound to the admin key. Each code
 * is accepted once: the key's last accepted time step only moves forward, by a conditional write.
 * Methods that log take the request's id from the caller: a per-request async context costs too
 * much throughput.
 */
@Injectable()
export class StepUpService {
  private readonly logger = new Logger(StepUpService.name);
  private readonly ttlSeconds: number;

  constructor(
    @Inject(AdminKeyRepository) private readonly adminKeys: AdminKeyRepository,
    @Inject(StepUpTokenRepository) private readonly tokens: StepUpTokenRepository,
    @Inject(KeyMaterialService) private readonly keys: KeyMaterialService,
    @Inject(TotpService) private readonly totp: TotpService,
    @Inject(AppConfigService) config: AppConfigService,
  ) {
    this.ttlSeconds = config.get('stepUpTtlSeconds');
  }

  async stepUp(
    adminKeyId: string,
    otp: string,
    requestId: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const adminKey = await this.adminKeys.get(adminKeyId);
    if (adminKey === undefined || adminKey.status !== 'active') {
      throw new AppException('unauthenticated', 'A valid credential is required.');
    }

    await this.takeAttempt(adminKeyId, requestId);

    const step = this.totp.verify(this.keys.box.open(adminKey.totpSecretSealed), otp);
    if (step === undefined) {
      this.logger.warn({ requestId, adminKeyId, reason: 'wrong_code' }, 'Step-up refused');
      throw new AppException('otp_invalid', 'The one-time code is not valid.');
    }
    if (!(await this.adminKeys.acceptOtpStep(adminKeyId, step))) {
      this.logger.warn({ requestId, adminKeyId, reason: 'replay' }, 'Step-up refused');
      throw new AppException('otp_invalid', 'The one-time code is not valid.');
    }

    return this.issue(adminKeyId, this.ttlSeconds, requestId);
  }

  /**
   * Stores a new token for the key. The lifetime is a parameter so that tests can make one
   * already expired; handlers always use the configured lifetime through stepUp().
   */
  async issue(
    adminKeyId: string,
    ttlSeconds: number,
    requestId: string,
  ): Promise<{ token: string; expiresIn: number }> {
    const material = this.keys.issueStepUpToken();
    const now = Date.now();
    const expiresAt = now + ttlSeconds * 1000;
    await this.tokens.create({
      id: material.id,
      tokenHash: material.hash,
      adminKeyId,
      createdAt: now,
      expiresAt,
      ttl: Math.ceil(expiresAt / 1000) + 3600,
    });
    this.logger.log({ requestId, adminKeyId, stepUpId: material.id }, 'Step-up token issued');

    return { token: material.secret, expiresIn: ttlSeconds };
  }

  /** Ends a step-up before its expiry; only the admin key it is bound to may end it. */
  async revoke(
    presented: string | undefined,
    adminKeyId: string,
    requestId: string,
  ): Promise<void> {
    const recognised =
      presented === undefined ? undefined : this.keys.recognise(presented, 'stepUp');
    if (recognised === undefined) {
      throw new AppException('not_found', 'Step-up token not found');
    }

    const token = await this.tokens.get(recognised.id);
    if (
      token === undefined ||
      token.adminKeyId !== adminKeyId ||
      !this.keys.hashMatches(token.tokenHash, recognised.hash)
    ) {
      throw new AppException('not_found', 'Step-up token not found');
    }
    await this.tokens.delete(recognised.id);
    this.logger.log({ requestId, adminKeyId, stepUpId: recognised.id }, 'Step-up token revoked');
  }

  /**
   * A stolen admin key must not buy unlimited guesses at its 6-digit codes: each key gets a few
   * attempts per window, right or wrong, counted before the code is checked.
   */
  private async takeAttempt(adminKeyId: string, requestId: string): Promise<void> {
    const now = Date.now();
    const window = Math.floor(now / OTP_ATTEMPT_WINDOW_MS);
    if (await this.adminKeys.consumeOtpAttempt(adminKeyId, window, OTP_ATTEMPTS_PER_WINDOW)) {
      return;
    }

    const retryAfterSeconds = Math.ceil(((window + 1) * OTP_ATTEMPT_WINDOW_MS - now) / 1000);
    this.logger.warn({ requestId, adminKeyId, reason: 'too_many_attempts' }, 'Step-up refused');
    throw new AppException('rate_limited', 'Too many step-up attempts for this admin key.', {
      headers: { 'retry-after': String(retryAfterSeconds) },
    });
  }
}
