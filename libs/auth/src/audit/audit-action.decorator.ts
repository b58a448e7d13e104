import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION_KEY = 'dcisionai:audit-action';

/** Names the admin action an audited handler performs, e.g. `tenant.delete`. */
export function AuditAction(action: string): MethodDecorator {
  return SetMetadata(AUDIT_ACTION_KEY, action);
}
