import { sql } from 'kysely';
import type { Db } from '../../db/client.js';

export interface RateLimit {
  /** Bucket name prefix, e.g. "login-ip". */
  name: string;
  limit: number;
  windowSeconds: number;
}

export const LIMITS = {
  loginPerAccount: { name: 'login-account', limit: 10, windowSeconds: 15 * 60 },
  loginPerAddress: { name: 'login-ip', limit: 50, windowSeconds: 15 * 60 },
  signupPerAddress: { name: 'signup-ip', limit: 20, windowSeconds: 60 * 60 },
  resetPerAccount: { name: 'reset-account', limit: 3, windowSeconds: 60 * 60 },
  resetPerAddress: { name: 'reset-ip', limit: 20, windowSeconds: 60 * 60 },
  signupPerAccount: { name: 'signup-account', limit: 5, windowSeconds: 60 * 60 },
  passwordChangePerAccount: { name: 'password-change', limit: 10, windowSeconds: 15 * 60 },
  reportsPerMember: { name: 'report', limit: 20, windowSeconds: 60 * 60 },
  // Member's or org's payout details: a stolen session must not become a way to redirect payments quickly.
  payoutDetailsPerAccount: { name: 'payout-details', limit: 10, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimit>;

export interface RateLimitResult {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Counts one hit in a fixed window and says whether it is within the limit.
 * One upsert, atomic under concurrency, shared by every web process since it
 * lives in the database (docs/decisions/0006-rate-limits.md). `key` must
 * already be a keyed hash, never an email or address in clear.
 */
export async function hitRateLimit(db: Db, rule: RateLimit, key: string): Promise<RateLimitResult> {
  const bucket = `${rule.name}:${key}`;
  const { rows } = await sql<{ hits: number; window_ends_at: Date }>`
    INSERT INTO rate_limit_window (bucket, hits, window_ends_at)
    VALUES (${bucket}, 1, now() + make_interval(secs => ${rule.windowSeconds}))
    ON CONFLICT (bucket) DO UPDATE SET
      hits = CASE WHEN rate_limit_window.window_ends_at <= now() THEN 1 ELSE rate_limit_window.hits + 1 END,
      window_ends_at = CASE WHEN rate_limit_window.window_ends_at <= now()
        THEN now() + make_interval(secs => ${rule.windowSeconds}) ELSE rate_limit_window.window_ends_at END
    RETURNING hits, window_ends_at`.execute(db);
  const row = rows[0]!;
  const retryAfterSeconds = Math.max(1, Math.ceil((row.window_ends_at.getTime() - Date.now()) / 1000));
  return { allowed: row.hits <= rule.limit, retryAfterSeconds };
}

/** Counts a hit against each rule in turn and stops at the first that refuses. */
export async function hitRateLimits(
  db: Db,
  hits: ReadonlyArray<readonly [RateLimit, string]>,
): Promise<RateLimitResult> {
  for (const [rule, key] of hits) {
    const result = await hitRateLimit(db, rule, key);
    if (!result.allowed) return result;
  }
  return { allowed: true, retryAfterSeconds: 0 };
}

/** The form message for a refused attempt: `<key>?minutes=<n>`, with the Retry-After header. */
export function rateLimitedReply(messageKey: string, limit: RateLimitResult) {
  return {
    message: `${messageKey}?minutes=${Math.ceil(limit.retryAfterSeconds / 60)}`,
    init: { status: 429, headers: { 'Retry-After': String(limit.retryAfterSeconds) } },
  };
}

/** Forgets the counters of a key, e.g. the per-account login count after a success. */
export async function resetRateLimit(db: Db, rule: RateLimit, key: string): Promise<void> {
  await db.deleteFrom('rate_limit_window').where('bucket', '=', `${rule.name}:${key}`).execute();
}

/** Drops finished windows; run by a scheduled worker job. */
export async function pruneRateLimits(db: Db): Promise<number> {
  const result = await db.deleteFrom('rate_limit_window').where('window_ends_at', '<', new Date()).executeTakeFirst();
  return Number(result.numDeletedRows);
}
