import { Injectable } from '@nestjs/common';
import { HealthIndicatorResult, HealthIndicatorService } from '@nestjs/terminus';
import { DynamoConnection } from '@app/dynamo';

/** DynamoDB is up when every table of the service answers within the deadline. */
@Injectable()
export class DynamoHealthIndicator {
  constructor(
    private readonly connection: DynamoConnection,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: string, timeoutMs: number): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    const tables = await this.connection.checkTables(timeoutMs);
    const details = { embedded: this.connection.isEmbedded, tables };

    return Object.values(tables).every((status) => status === 'up')
      ? indicator.up(details)
      : indicator.down(details);
  }
}
