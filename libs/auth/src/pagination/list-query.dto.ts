import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsOptional, Matches } from 'class-validator';
import { IntegerBetween } from '../validation/single-message.validators';

/**
 * Query of every cursor-paginated listing. The global pipe refuses any other parameter, and each
 * field answers one message whatever is wrong with it (a repeated parameter arrives as an array).
 */
export class ListQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IntegerBetween(1, 100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page', maxLength: 2048 })
  @IsOptional()
  // Cursors are base64url; anything else cannot be one of ours.
  @Matches(/^[A-Za-z0-9_-]{0,2048}$/, {
    message: 'cursor must be the nextCursor of a previous page',
  })
  cursor?: string;
}
