import { ApiProperty } from '@nestjs/swagger';
import { AdminKeyView } from './admin-key.view';

/** The only time an admin key and its TOTP secret are ever shown. */
export class CreatedAdminKeyView extends AdminKeyView {
  @ApiProperty({ description: 'The admin key, shown once' })
  key!: string;

  @ApiProperty({ description: 'Base32 TOTP secret for an authenticator app, shown once' })
  totpSecret!: string;

  @ApiProperty({ example: 'otpauth://totp/DcisionAI:ops?secret=...&issuer=DcisionAI' })
  otpauthUrl!: string;
}
