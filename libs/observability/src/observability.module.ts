import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DynamoHealthIndicator } from './health/dynamo.health-indicator';
import { HealthController } from './health/health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DynamoHealthIndicator],
})
export class ObservabilityModule {}
