import type { LoaderFunctionArgs } from '@remix-run/node';
import { escapeMarkup, renderAtomFeed } from '~/domain/roadmap/atom-feed';
import { type ChangelogFeedEntry, listChangelogFeed } from '~/domain/roadmap/list-changelog-feed.server';
import { getT } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';

// Resource route: the changelog as an Atom 1.0 feed (/changelog.atom), in the
// reader's language, with absolute links from PUBLIC_URL.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { db, env } = context.services;
  const locale = await getLocale(request, context);
  const t = getT(locale);
  const base = env.PUBLIC_URL.replace(/\/+$/, '');
  const entries = await listChangelogFeed(db);

  const contentOf = (entry: ChangelogFeedEntry) => {
    if (entry.posts.length === 0) return entry.descriptionHtml;
    const posts = entry.posts
      .map(
        (post) =>
          `<li><a href="${escapeMarkup(`${base}/posts/${post.id}`)}">${escapeMarkup(post.title)}</a> (${escapeMarkup(
            t('roadmap.item.votes', { count: post.voteCount }),
          )})</li>`,
      )
      .join('');
    const more =
      entry.postCount > entry.posts.length
        ? `<p>${escapeMarkup(t('roadmap.item.morePosts', { count: entry.postCount - entry.posts.length }))}</p>`
        : '';
    return `${entry.descriptionHtml}<h3>${escapeMarkup(t('roadmap.feed.postsHeading'))}</h3><ul>${posts}</ul>${more}`;
  };

  const xml = renderAtomFeed({
    id: `${base}/changelog`,
    title: t('roadmap.feed.title'),
    subtitle: t('roadmap.feed.subtitle'),
    alternateUrl: `${base}/changelog`,
    selfUrl: `${base}/changelog.atom`,
    lang: locale,
    authorName: t('roadmap.feed.author'),
    updated: entries.reduce<Date | null>((latest, entry) => (latest && latest > entry.updatedAt ? latest : entry.updatedAt), null) ?? new Date(),
    entries: entries.map((entry) => ({
      // The page address without its fragment: stable for as long as PUBLIC_URL is.
      id: `${base}/changelog?from=${entry.id}`,
      title: entry.title,
      url: `${base}/changelog?from=${entry.id}#roadmap-item-${entry.id}`,
      published: entry.shippedAt,
      updated: entry.updatedAt,
      contentHtml: contentOf(entry),
    })),
  });
  return new Response(xml, {
    headers: {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=300',
      // The language follows the cookie or the browser's Accept-Language.
      Vary: 'Accept-Language, Cookie',
    },
  });
}
