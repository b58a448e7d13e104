import { DestructiveReasonDto } from '@app/auth';

/** Deleting a tenant is destructive: its keys fail at once and the reason is audited. */
export class DeleteTenantDto extends DestructiveReasonDto {}
