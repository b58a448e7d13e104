import { Item } from 'dynamoose/dist/Item';

export const TENANT_STATUSES = ['active', 'suspended'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const TENANT_PLANS = ['starter', 'professional', 'enterprise'] as const;
export type TenantPlan = (typeof TENANT_PLANS)[number];

export interface TenantSettings {
  defaultRateLimitPerMinute: number;
  maxKeys: number;
  allowedCorsOrigins: string[];
  maxConcurrentJobs: number;
}

/** A tenant as stored. `deleted` is a storage state only: the API shows such tenants as gone. */
export interface TenantRecord {
  id: string;
  name: string;
  status: TenantStatus | 'deleted';
  plan: TenantPlan;
  settings: TenantSettings;
  /** Number of issued, unrevoked keys; bounded by settings.maxKeys with a conditional write. */
  keyCount: number;
  /** Present only while the tenant is listed (sparse index byListing). */
  listing?: string;
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
  deleteReason?: string;
}

export type TenantItem = Item & TenantRecord;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  defaultRateLimitPerMinute: 600,
  maxKeys: 50,
  allowedCorsOrigins: [],
  maxConcurrentJobs: 4,
};
