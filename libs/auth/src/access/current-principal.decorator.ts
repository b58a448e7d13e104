import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AppException } from '@app/common';
import { Principal } from '../principal/principal.types';

/** The principal the access guard set for this request. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
    if (!request.principal) {
      // Reaching a handler without a principal means a route lost its guard: refuse, never guess.
      throw new AppException('unauthenticated');
    }

    return request.principal;
  },
);
