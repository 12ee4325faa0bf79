/**
 * "Trending": log10 of the votes plus a bonus that grows with the posting
 * time (one order of magnitude of votes per 12.5 hours, after Reddit's hot
 * ranking). Newer posts need fewer votes to rank high, and nothing has to
 * decay scores periodically: a post's rank changes only when it is voted on.
 */
const EPOCH_SECONDS = Date.UTC(2026, 0, 1) / 1000;
const SECONDS_PER_ORDER_OF_MAGNITUDE = 45_000;

export function hotRank(votes: number, createdAt: Date): number {
  const order = Math.log10(Math.max(votes, 1));
  const age = createdAt.getTime() / 1000 - EPOCH_SECONDS;
  return Math.round((order + age / SECONDS_PER_ORDER_OF_MAGNITUDE) * 1e7) / 1e7;
}
