// Client-safe choices for the org page (routes never import db/), tied to
// db/schema.ts by type only.
import type { RewardMode } from '../../../db/schema.js';

/** How an org's people may be rewarded, in the order the org page offers them. */
export const REWARD_MODE_CHOICES = ['member', 'org', 'recognition'] as const satisfies readonly RewardMode[];

// A mode added to db/schema.ts without being added here fails typecheck.
const everyModeListed: [Exclude<RewardMode, (typeof REWARD_MODE_CHOICES)[number]>] extends [never] ? true : false = true;
void everyModeListed;
