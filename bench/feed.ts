// `npm run bench`: how fast the pages members use most answer on a large
// community. Seeds BENCH_POSTS posts (default 20,000) with about ten votes
// each into a fresh database — the embedded one, or a new database on the
// server at DATABASE_URL — then times the feed (every sort, first and a deep
// keyset page), search (English and Chinese) and similar-title suggestions.
// Prints p50 / p95 in milliseconds. Numbers, not pass/fail: see README
// "Benchmarks" for what was measured and on what.
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { listFeed } from '../app/domain/posts/list-feed.server.js';
import { findSimilarPosts } from '../app/domain/posts/find-similar-posts.server.js';
import { searchPosts } from '../app/domain/posts/search-posts.server.js';
import { FEED_SORTS } from '../app/domain/posts/choices.js';
import { createTestDatabase } from '../test/support/database.js';

const POSTS = Number(process.env.BENCH_POSTS ?? 20_000);
const MEMBERS = 500;
const ROUNDS = 20;

const database = await createTestDatabase();
const { db } = database;
try {
  const seeded = performance.now();
  await seed();
  console.log(`seeded ${POSTS} posts, ${MEMBERS} members and their votes in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);
  const counts = await sql<{ posts: string; votes: string }>`SELECT (SELECT count(*) FROM post) AS posts, (SELECT count(*) FROM vote) AS votes`.execute(db);
  console.log(`database: ${process.env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : 'embedded PGlite'}; ${counts.rows[0]!.posts} posts, ${counts.rows[0]!.votes} votes\n`);

  const results: [string, number[]][] = [];
  for (const sort of FEED_SORTS) {
    results.push([`feed ${sort}, first page`, await time(() => listFeed(db, null, { sort }))]);
    // Twenty pages in, following the cursors as a reader would.
    let after: string | undefined;
    for (let page = 0; page < 20; page += 1) after = (await listFeed(db, null, { sort, after })).nextCursor ?? undefined;
    results.push([`feed ${sort}, page 21`, await time(() => listFeed(db, null, { sort, after }))]);
  }
  results.push(['search "alarm export"', await time(() => searchPosts(db, null, { query: 'alarm export', locale: 'en' }))]);
  results.push(['search "告警导出"', await time(() => searchPosts(db, null, { query: '告警导出', locale: 'zh-CN' }))]);
  results.push(['similar titles "alarm storm after restart"', await time(() => findSimilarPosts(db, { id: 'bench' }, { title: 'alarm storm after restart' }))]);
  results.push(['similar titles "基站重启告警风暴"', await time(() => findSimilarPosts(db, { id: 'bench' }, { title: '基站重启告警风暴' }))]);

  console.log('query'.padEnd(48), 'p50 ms'.padStart(8), 'p95 ms'.padStart(8));
  for (const [name, samples] of results) {
    console.log(name.padEnd(48), percentile(samples, 50).toFixed(1).padStart(8), percentile(samples, 95).toFixed(1).padStart(8));
  }
} finally {
  await database.close();
}

async function time(run: () => Promise<unknown>): Promise<number[]> {
  await run(); // warm the cache and the plan
  const samples: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Set-based inserts: members (no password hashing), posts with English and Chinese titles, votes, then the counters. */
async function seed(): Promise<void> {
  await sql`INSERT INTO org (id, name, value_tier) SELECT 'org' || g, 'Bench org ' || g, (ARRAY['strategic','major','standard'])[1 + g % 3]
    FROM generate_series(1, 20) g`.execute(db);
  await sql`INSERT INTO product_area (id, slug, name_en, name_zh) VALUES ('area', 'bench', 'Bench', '基准')`.execute(db);
  await sql`INSERT INTO app_user (id, email_lookup, password_hash, pseudonym, pseudonym_zh, org_id, locale, email_verified_at)
    SELECT 'u' || g, 'lookup' || g, 'not-a-hash', 'Bench Member ' || g, '基准成员' || g, 'org' || (1 + g % 20), 'en', now()
    FROM generate_series(1, ${MEMBERS}) g`.execute(db);
  const words = ['alarm', 'export', 'topology', 'restart', 'storm', 'KPI', 'report', 'rollback', 'parameter', 'night'];
  const wordsZh = ['告警', '导出', '拓扑', '重启', '风暴', '报表', '回滚', '参数', '基站', '夜间'];
  await sql`INSERT INTO post (id, author_id, type, product_area_id, title, body, body_html, status, submission_key, hot_rank, created_at)
    SELECT 'p' || g, 'u' || (1 + g % ${MEMBERS}), CASE WHEN g % 3 = 0 THEN 'complaint' ELSE 'request' END, 'area',
      CASE WHEN g % 2 = 0
        THEN initcap((${sql.val(words)}::text[])[1 + g % 10]) || ' ' || (${sql.val(words)}::text[])[1 + (g / 10) % 10] || ' issue ' || g
        ELSE (${sql.val(wordsZh)}::text[])[1 + g % 10] || (${sql.val(wordsZh)}::text[])[1 + (g / 10) % 10] || '问题' || g END,
      'Details of post ' || g || ': ' || (${sql.val(words)}::text[])[1 + (g / 7) % 10] || ' ' || (${sql.val(wordsZh)}::text[])[1 + (g / 3) % 10],
      '<p>Details</p>', 'open', 'k' || g, 0, now() - make_interval(mins => g)
    FROM generate_series(1, ${POSTS}) g`.execute(db);
  // About ten votes per post, from members spread over the orgs.
  await sql`INSERT INTO vote (post_id, voter_id)
    SELECT DISTINCT 'p' || g, 'u' || (1 + ((g * 7919 + v * 104729) % ${MEMBERS}))
    FROM generate_series(1, ${POSTS}) g, generate_series(1, 1 + g % 20) v
    ON CONFLICT DO NOTHING`.execute(db);
  await sql`UPDATE post SET vote_count = c.votes, org_count = c.orgs, weighted_score = c.votes,
      -- The same formula as app/domain/posts/hot-rank.ts.
      hot_rank = log(greatest(c.votes, 1)) + (extract(epoch FROM post.created_at) - extract(epoch FROM timestamptz '2026-01-01 00:00:00+00')) / 45000
    FROM (SELECT v.post_id, count(*) AS votes, count(DISTINCT u.org_id) AS orgs FROM vote v JOIN app_user u ON u.id = v.voter_id GROUP BY v.post_id) c
    WHERE c.post_id = post.id`.execute(db);
  await sql`ANALYZE`.execute(db);
}
