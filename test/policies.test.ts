import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from '../app/domain/identity/password.server.js';
import { generatePseudonym } from '../app/domain/identity/pseudonym.js';
import { parseEnv } from '../app/utils/env.server.js';
import { randomId } from '../app/utils/crypto.server.js';
import { hitRateLimit, pruneRateLimits } from '../app/utils/rate-limit.server.js';
import { createTestApp, type TestApp } from './support/services.js';

describe('password policy', () => {
  it.each([
    ['short9chr', 'too_short'],
    ['x'.repeat(129), 'too_long'],
    ['password123', 'common'],
    ['qwertyuiop', 'common'],
    ['iloveyou12345', 'guessable'],
  ])('refuses %s as %s', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('accepts a long passphrase', () => {
    expect(passwordProblem('violet tram hums at dusk')).toBeUndefined();
  });

  it('hashes with argon2id at OWASP’s minimum or above', async () => {
    const hash = await hashPassword('violet tram hums at dusk');
    const [, algorithm, , params] = hash.split('$');
    expect(algorithm).toBe('argon2id');
    const values = Object.fromEntries(params!.split(',').map((pair) => pair.split('=')));
    expect(Number(values.m)).toBeGreaterThanOrEqual(19_456);
    expect(Number(values.t)).toBeGreaterThanOrEqual(2);
    expect(Number(values.p)).toBe(1);
    expect(await verifyPassword(hash, 'violet tram hums at dusk')).toBe(true);
    expect(await verifyPassword(hash, 'violet tram hums at dawn')).toBe(false);
  });
});

describe('identifiers and pseudonyms', () => {
  it('makes opaque ids that are random, not sequential', () => {
    const ids = Array.from({ length: 1000 }, randomId);
    expect(new Set(ids).size).toBe(1000);
    expect(ids.every((id) => /^[a-z2-7]{24}$/.test(id))).toBe(true);
    const sorted = [...ids].sort();
    expect(sorted).not.toEqual(ids);
  });

  it('gives every pseudonym an English and a Chinese form', () => {
    const pseudonym = generatePseudonym();
    expect(pseudonym.en).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);
    expect(pseudonym.zh).toMatch(/^\p{Script=Han}+的\p{Script=Han}+$/u);
    expect(generatePseudonym(1).en).toMatch(/ \d+$/);
  });
});

describe('configuration', () => {
  const valid = {
    DATABASE_URL: 'postgres://u@localhost/db',
    PUBLIC_URL: 'https://candor.example.com',
    VAULT_KEY: Buffer.alloc(32, 1).toString('base64'),
  };

  it('reads a valid environment with defaults', () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.TRUST_PROXY).toBe(false);
  });

  it('names each missing or malformed variable in one line', () => {
    expect(() => parseEnv({ ...valid, REDIS_URL: 'http://x', PORT: 'abc' })).toThrow(
      /^Configuration error: REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL; PORT .+$/,
    );
    expect(() => parseEnv({})).toThrow(/DATABASE_URL is missing; PUBLIC_URL is missing; VAULT_KEY is missing/);
  });
});

describe('rate limits', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('allows up to the limit within a window and refuses the rest with a wait time', async () => {
    const rule = { name: 'test', limit: 3, windowSeconds: 60 };
    const results = [];
    for (let i = 0; i < 5; i++) results.push(await hitRateLimit(app.services.db, rule, 'key-a'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false, false]);
    expect(results[4]!.retryAfterSeconds).toBeGreaterThan(50);
    expect((await hitRateLimit(app.services.db, rule, 'key-b')).allowed).toBe(true);
  });

  it('counts concurrent hits exactly', async () => {
    const rule = { name: 'concurrent', limit: 10, windowSeconds: 60 };
    const results = await Promise.all(Array.from({ length: 25 }, () => hitRateLimit(app.services.db, rule, 'same')));
    expect(results.filter((r) => r.allowed)).toHaveLength(10);
  });

  it('starts a new window once the old one has ended, and prunes finished windows', async () => {
    const rule = { name: 'expiring', limit: 1, windowSeconds: 60 };
    await hitRateLimit(app.services.db, rule, 'k');
    expect((await hitRateLimit(app.services.db, rule, 'k')).allowed).toBe(false);
    await sql`UPDATE rate_limit_window SET window_ends_at = now() - interval '1 second' WHERE bucket = 'expiring:k'`.execute(
      app.services.db,
    );
    expect((await hitRateLimit(app.services.db, rule, 'k')).allowed).toBe(true);
    await sql`UPDATE rate_limit_window SET window_ends_at = now() - interval '1 second' WHERE bucket = 'expiring:k'`.execute(
      app.services.db,
    );
    expect(await pruneRateLimits(app.services.db)).toBeGreaterThanOrEqual(1);
  });
});
