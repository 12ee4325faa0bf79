import { z } from 'zod';
import type { PostType, RewardTrigger } from '../../../db/schema.js';

const MinorString = z.string().regex(/^\d{1,15}$/, 'minor units as digits');

const TierSchema = z
  .object({ defaultMinor: MinorString, maxMinor: MinorString })
  .refine((tier) => BigInt(tier.defaultMinor) > 0n && BigInt(tier.defaultMinor) <= BigInt(tier.maxMinor), {
    message: 'default_above_max',
  });

/** One version of the reward policy; amounts in minor units of `currency`. */
export const PolicyRulesSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/),
    tiers: z.object({ complaint_fixed: TierSchema, request_adopted: TierSchema, request_shipped: TierSchema }),
    /** The impact multiplier's range, in percent of the tier's default (100 = ×1). */
    impactPercent: z
      .object({ min: z.number().int().min(1).max(1000), max: z.number().int().min(1).max(1000) })
      .refine((range) => range.min <= range.max, { message: 'min_above_max' }),
    /** Each co-author of a merged duplicate gets this share of the main amount. */
    coauthorSharePercent: z.number().int().min(0).max(100),
  })
  .strict();
export type PolicyRules = z.infer<typeof PolicyRulesSchema>;

/** DESIGN.md's example: complaint fixed ¥2,000; request adopted ¥10,000; request shipped up to ¥100,000. */
export const DEFAULT_POLICY_RULES: PolicyRules = {
  currency: 'CNY',
  tiers: {
    complaint_fixed: { defaultMinor: '200000', maxMinor: '1000000' },
    request_adopted: { defaultMinor: '1000000', maxMinor: '3000000' },
    request_shipped: { defaultMinor: '2000000', maxMinor: '10000000' },
  },
  impactPercent: { min: 100, max: 300 },
  coauthorSharePercent: 20,
};

/** Which rewards a post in a status has earned. */
export function triggersEarned(type: PostType, status: string): RewardTrigger[] {
  if (type === 'complaint') return status === 'shipped' ? ['complaint_fixed'] : [];
  const triggers: RewardTrigger[] = [];
  if (['planned', 'in_progress', 'shipped'].includes(status)) triggers.push('request_adopted');
  if (status === 'shipped') triggers.push('request_shipped');
  return triggers;
}

export interface ImpactFacts {
  orgCount: number;
  voteCount: number;
  hoursPerWeek: number | null;
  sites: number | null;
}

export interface ComputedAmount {
  amountMinor: bigint;
  impactPercent: number;
  /** Why, for the nominations queue: each input and what it added. */
  explanation: {
    tier: RewardTrigger;
    defaultMinor: string;
    maxMinor: string;
    impactPercent: number;
    parts: { orgs: number; hours: number; sites: number };
    capped: boolean;
  };
}

/**
 * Policy tier × impact. The multiplier starts at the policy's minimum and
 * grows with breadth (+10 points per distinct org beyond the first) and depth
 * (+1 point per hour lost per week, +1 point per 10 sites affected), up to
 * the policy's maximum; the result never exceeds the tier's maximum.
 */
export function computeAmount(rules: PolicyRules, trigger: RewardTrigger, impact: ImpactFacts): ComputedAmount {
  const tier = rules.tiers[trigger];
  const parts = {
    orgs: Math.max(0, impact.orgCount - 1) * 10,
    hours: Math.min(impact.hoursPerWeek ?? 0, 1000),
    sites: Math.floor(Math.min(impact.sites ?? 0, 100_000) / 10),
  };
  const impactPercent = Math.min(rules.impactPercent.max, rules.impactPercent.min + parts.orgs + parts.hours + parts.sites);
  const uncapped = (BigInt(tier.defaultMinor) * BigInt(impactPercent)) / 100n;
  const max = BigInt(tier.maxMinor);
  return {
    amountMinor: uncapped > max ? max : uncapped,
    impactPercent,
    explanation: {
      tier: trigger,
      defaultMinor: tier.defaultMinor,
      maxMinor: tier.maxMinor,
      impactPercent,
      parts,
      capped: uncapped > max,
    },
  };
}

/** The amounts finance may set for a tier: from the default at the lowest multiplier up to the maximum. */
export function tierRange(rules: PolicyRules, trigger: RewardTrigger): { minMinor: bigint; maxMinor: bigint } {
  const tier = rules.tiers[trigger];
  const lowest = (BigInt(tier.defaultMinor) * BigInt(rules.impactPercent.min)) / 100n;
  const max = BigInt(tier.maxMinor);
  return { minMinor: lowest > max ? max : lowest, maxMinor: max };
}

/** A co-author's share of the main amount, rounded down to the minor unit. */
export function coauthorShare(rules: PolicyRules, mainMinor: bigint): bigint {
  return (mainMinor * BigInt(rules.coauthorSharePercent)) / 100n;
}

/** The longest note a published policy version may carry. */
export const POLICY_NOTE_MAX_LENGTH = 500;
