import { ApiProperty } from '@nestjs/swagger';
import { IssuedApiKey } from './api-keys.service';
import { ApiKeyView } from './api-key.view';

/** The answer to a creation or rotation: the only time the full key is ever shown. */
export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The full key, shown once; store it now' })
  key!: string;

  static from(issued: IssuedApiKey): CreatedApiKeyView {
    return { ...ApiKeyView.of(issued.record), key: issued.key };
  }
}
