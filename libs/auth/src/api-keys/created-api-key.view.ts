import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyRecord } from './api-key.record';
import { ApiKeyView } from './api-key.view';

/** The answer to a creation or rotation: the only time the full key is ever shown. */
export class CreatedApiKeyView extends ApiKeyView {
  @ApiProperty({ description: 'The full key, shown once; store it now' })
  key!: string;

  static withKey(record: ApiKeyRecord, key: string): CreatedApiKeyView {
    return { ...ApiKeyView.of(record), key };
  }
}
