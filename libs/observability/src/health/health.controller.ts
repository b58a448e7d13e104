import { Controller, Get, HttpCode, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import { Public } from '@app/auth';
import { AppException } from '@app/common';
import { DynamoHealthIndicator } from './dynamo.health-indicator';

/** Readiness must answer well within load balancer timeouts, even with a hung database. */
const READINESS_TIMEOUT_MS = 1500;

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dynamo: DynamoHealthIndicator,
  ) {}

  @Get('live')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ description: 'The process is alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: every dependency answers' })
  @ApiServiceUnavailableResponse({ description: 'A dependency is down; details per dependency' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([() => this.dynamo.check('dynamodb', READINESS_TIMEOUT_MS)]);
    } catch (error) {
      if (error instanceof ServiceUnavailableException) {
        throw new AppException('service_unavailable', 'A dependency of the service is down.', {
          extensions: { checks: (error.getResponse() as HealthCheckResult).details },
          headers: { 'retry-after': '5' },
        });
      }

      throw error;
    }
  }
}
