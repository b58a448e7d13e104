import { ApiProperty } from '@nestjs/swagger';

export class InvocationResultDto {
  @ApiProperty({ example: 'inv_01JD3Z8Q4K7M2N5P8R1T4V7X0Z' })
  invocationId!: string;

  @ApiProperty({ example: 'solve_optimization' })
  tool!: string;

  @ApiProperty({ example: '1.0.0' })
  version!: string;

  @ApiProperty({ enum: ['succeeded'] })
  status!: 'succeeded';

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The tool's output, matching its output schema.",
  })
  output!: unknown;

  @ApiProperty({ description: 'Time spent in the invocation, in milliseconds.' })
  durationMs!: number;
}
