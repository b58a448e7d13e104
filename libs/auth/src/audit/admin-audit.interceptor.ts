import {
  CallHandler,
  ExecutionContext,
  Inject,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import { FastifyRequest } from 'fastify';
import { catchError, from, map, mergeMap, Observable, throwError } from 'rxjs';
import { AppException } from '@app/common';
import { AdminAuditRepository } from './admin-audit.repository';
import { AUDIT_ACTION_KEY } from './audit-action.decorator';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Records every mutating admin request (who, what, on which target, why, how it ended). Applied
 * to the admin controllers only: a global interceptor costs throughput on every tenant request.
 */
@Injectable()
export class AdminAuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AdminAuditInterceptor.name);

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(AdminAuditRepository) private readonly audit: AdminAuditRepository,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (READ_METHODS.has(request.method)) {
      return next.handle();
    }

    // Nest sets the status after the handler's observable completes, so read the declared one.
    const successStatus =
      this.reflector.get<number | undefined>(HTTP_CODE_METADATA, context.getHandler()) ??
      (request.method === 'POST' ? 201 : 200);
    const action =
      this.reflector.get<string | undefined>(AUDIT_ACTION_KEY, context.getHandler()) ??
      `${request.method} ${request.routeOptions.url ?? ''}`;
    const params = (request.params ?? {}) as Record<string, string>;
    const body = (request.body ?? {}) as { reason?: unknown };
    const reason = typeof body.reason === 'string' ? body.reason : undefined;
    const describe = (result: unknown): string => {
      const created = (result as { id?: unknown } | undefined)?.id;
      const parts = Object.entries(params).map(([name, value]) => `${name}=${value}`);
      if (typeof created === 'string' && !Object.values(params).includes(created)) {
        parts.push(`id=${created}`);
      }

      return parts.join(' ');
    };

    return next.handle().pipe(
      mergeMap((result: unknown) =>
        from(this.write(request, action, describe(result), reason, 'success', successStatus)).pipe(
          map(() => result),
        ),
      ),
      catchError((error: unknown) => {
        const status = error instanceof AppException ? error.status : 500;

        return from(
          this.write(request, action, describe(undefined), reason, 'failure', status),
        ).pipe(mergeMap(() => throwError(() => error)));
      }),
    );
  }

  private async write(
    request: FastifyRequest,
    action: string,
    target: string,
    reason: string | undefined,
    outcome: 'success' | 'failure',
    status: number,
  ): Promise<void> {
    const principal = request.principal;
    const adminKeyId = principal?.kind === 'admin' ? principal.adminKeyId : 'unknown';
    try {
      await this.audit.record({
        at: Date.now(),
        adminKeyId,
        action,
        target,
        reason,
        outcome,
        status,
        requestId: String(request.id),
      });
    } catch (error) {
      // The action already happened; losing its record is logged loudly rather than undone.
      this.logger.error(
        { err: error, requestId: request.id, adminKeyId, action, target },
        'Could not record an admin audit event',
      );
    }
  }
}
