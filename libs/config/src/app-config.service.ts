import { Injectable } from '@nestjs/common';
import { AppConfigValues } from './config.schema';

/** Typed, read-only access to the configuration validated at boot. */
@Injectable()
export class AppConfigService {
  constructor(private readonly values: Readonly<AppConfigValues>) {}

  get<K extends keyof AppConfigValues>(key: K): AppConfigValues[K] {
    return this.values[key];
  }

  get isProduction(): boolean {
    return this.values.stage === 'prod';
  }

  get usesEmbeddedDatabase(): boolean {
    return this.values.dynamodbEndpoint === undefined;
  }
}
