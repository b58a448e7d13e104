import { applyDecorators, Controller, UseInterceptors } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminRoute } from '../access/access.decorator';
import { AdminAuditInterceptor } from './admin-audit.interceptor';
import { AuditAction } from './audit-action.decorator';

/** An admin controller: its path, its documentation tag, and the audit of its mutations. */
export function AdminController(path: string, tag: string): ClassDecorator {
  return applyDecorators(ApiTags(tag), Controller(path), UseInterceptors(AdminAuditInterceptor));
}

/** An admin read: the admin key alone admits it, and it is not audited. */
export function AdminRead(summary: string): MethodDecorator {
  return applyDecorators(AdminRoute({ stepUp: false }), ApiOperation({ summary }));
}

/**
 * An admin mutation, audited under `action`. It needs a step-up token, except for the routes
 * that manage step-up tokens themselves.
 */
export function AdminMutation(
  action: string,
  summary: string,
  options: { stepUp: boolean } = { stepUp: true },
): MethodDecorator {
  return applyDecorators(AdminRoute(options), AuditAction(action), ApiOperation({ summary }));
}
