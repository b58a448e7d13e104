import { Stage } from '@app/config';

/** Prefixes of the secrets we issue; scanners and humans can tell them apart at a glance. */
export const KEY_PREFIXES = {
  live: 'dcs_live_',
  test: 'dcs_test_',
  admin: 'dca_',
  stepUp: 'dcsu_',
} as const;

/** Tenant keys say which environment they belong to, so a test key never works in production. */
export function tenantKeyPrefix(stage: Stage): string {
  return stage === 'prod' ? KEY_PREFIXES.live : KEY_PREFIXES.test;
}
