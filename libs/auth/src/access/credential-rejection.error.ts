/** Why a credential was refused; logged, never shown: every such refusal answers the same 401. */
export type RejectionReason =
  'missing' | 'malformed' | 'unknown' | 'revoked' | 'expired' | 'tenant_deleted' | 'wrong_kind';

/** Raised by verifiers and turned into one uniform 401 by the access guard. */
export class CredentialRejection extends Error {
  constructor(
    readonly reason: RejectionReason,
    readonly fields: { keyId?: string; tenantId?: string; adminKeyId?: string } = {},
  ) {
    super(`Credential rejected: ${reason}`);
    this.name = 'CredentialRejection';
  }
}
