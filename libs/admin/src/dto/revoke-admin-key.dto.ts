import { DestructiveReasonDto } from '@app/auth';

/** Revoking an admin key is destructive: the key fails at once and the reason is audited. */
export class RevokeAdminKeyDto extends DestructiveReasonDto {}
