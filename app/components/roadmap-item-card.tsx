import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PostStatusBadge } from '~/components/post-fields';
import type { RoadmapCard } from '~/domain/roadmap/roadmap-cards.server';

/** "Nov 26, 2026" / "2026年11月26日" for a 'YYYY-MM-DD' day, in UTC like every public date. */
function useDayFormat() {
  const { i18n } = useTranslation();
  const format = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' });
  return (day: string) => format.format(new Date(`${day}T00:00:00Z`));
}

/**
 * A roadmap item as the public sees it (board and changelog): its
 * description and the feedback behind it, titles and vote counts only.
 */
export function RoadmapItemCard({ item, headingLevel }: { item: RoadmapCard; headingLevel: 2 | 3 }) {
  const { t } = useTranslation();
  const formatDay = useDayFormat();
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = `roadmap-item-${item.id}-title`;
  return (
    <article className="roadmap-card" id={`roadmap-item-${item.id}`} aria-labelledby={headingId}>
      <Heading id={headingId} className="roadmap-card__title">
        {item.title}
      </Heading>
      {item.shippedDay ? (
        <p className="small muted roadmap-card__meta">
          <time dateTime={item.shippedDay}>{t('roadmap.item.shippedOn', { date: formatDay(item.shippedDay) })}</time>
        </p>
      ) : null}
      {item.descriptionHtml ? (
        // Sanitised when written (renderMarkdown), so it is safe to insert as is.
        <div className="prose roadmap-card__description" dangerouslySetInnerHTML={{ __html: item.descriptionHtml }} />
      ) : null}
      <RoadmapPostList item={item} />
    </article>
  );
}

function RoadmapPostList({ item }: { item: RoadmapCard }) {
  const { t } = useTranslation();
  if (item.postCount === 0) return <p className="small muted roadmap-card__summary">{t('roadmap.item.noPosts')}</p>;
  return (
    <>
      <p className="small muted roadmap-card__summary">
        {t('roadmap.item.summary', { count: item.postCount, votes: item.totalVotes })}
      </p>
      <ul className="roadmap-posts" aria-label={t('roadmap.item.postsLabel', { title: item.title })}>
        {item.posts.map((post) => (
          <li key={post.id} className="roadmap-posts__post">
            <Link to={`/posts/${post.id}`}>{post.title}</Link>
            <span className="roadmap-posts__meta">
              {post.status === 'shipped' && item.status !== 'shipped' ? <PostStatusBadge status={post.status} /> : null}
              <span className="badge badge--muted">{t('roadmap.item.votes', { count: post.voteCount })}</span>
            </span>
          </li>
        ))}
      </ul>
      {item.postCount > item.posts.length ? (
        <p className="small muted">{t('roadmap.item.morePosts', { count: item.postCount - item.posts.length })}</p>
      ) : null}
    </>
  );
}
