import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';

export class InvokeToolDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The tool's input, validated against its input schema.",
    example: {
      sense: 'maximize',
      variables: [{ name: 'x' }, { name: 'y' }],
      objective: { terms: { x: 3, y: 5 } },
      constraints: [
        { name: 'plant 1', terms: { x: 1 }, sense: '<=', rhs: 4 },
        { name: 'plant 2', terms: { y: 2 }, sense: '<=', rhs: 12 },
        { name: 'plant 3', terms: { x: 3, y: 2 }, sense: '<=', rhs: 18 },
      ],
    },
  })
  @IsObject()
  input!: Record<string, unknown>;

  @ApiPropertyOptional({
    minimum: 100,
    maximum: 900000,
    description: "Shortens the tool's timeout for this call; it can never be extended.",
  })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(900000)
  timeoutMs?: number;
}
