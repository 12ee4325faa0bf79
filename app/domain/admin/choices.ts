// The role and tier choices forms offer. Client-safe: routes and their
// browser bundle may import this file, but never db/ (STYLE.md, Layout), so
// the lists are spelled out here and tied to db/schema.ts by type only.
import type { Locale, Role, ValueTier } from '../../../db/schema.js';

/** Vendor staff roles: only for accounts that belong to no customer org. */
export const STAFF_ROLES = [
  'triager',
  'product_admin',
  'finance_approver',
  'finance_admin',
  'admin',
  'auditor',
] as const satisfies readonly Role[];

/** The only role an account of a customer org may hold. */
export const ORG_ROLES = ['org_admin'] as const satisfies readonly Role[];

export const ALL_ROLES = [...ORG_ROLES, ...STAFF_ROLES] as const satisfies readonly Role[];

export const TIER_CHOICES = ['strategic', 'major', 'standard'] as const satisfies readonly ValueTier[];

export const LOCALE_CHOICES = ['en', 'zh-CN'] as const satisfies readonly Locale[];

// A role or tier added to db/schema.ts without being added here fails typecheck.
type Missing<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const everyRoleListed: Missing<Role, (typeof ALL_ROLES)[number]> = true;
const everyTierListed: Missing<ValueTier, (typeof TIER_CHOICES)[number]> = true;
const everyLocaleListed: Missing<Locale, (typeof LOCALE_CHOICES)[number]> = true;
void [everyRoleListed, everyTierListed, everyLocaleListed];

export function isStaffRole(role: Role): boolean {
  return (STAFF_ROLES as readonly Role[]).includes(role);
}
