import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { PostPage } from '~/domain/posts/get-post.server';

/** "On the roadmap: <item>" on a post page, linking to the item on the board, or in the changelog once shipped. */
export function RoadmapItemLink({ item }: { item: PostPage['roadmapItem'] }) {
  const { t } = useTranslation();
  if (!item) return null;
  const href =
    item.status === 'shipped' ? `/changelog?from=${item.id}#roadmap-item-${item.id}` : `/roadmap#roadmap-item-${item.id}`;
  return (
    <p className="post__roadmap small">
      <span>{t('roadmap.onRoadmap.label')}</span> <Link to={href}>{item.title}</Link>{' '}
      <span className={item.status === 'shipped' ? 'badge badge--success' : 'badge'}>{t(`roadmap.columns.${item.status}`)}</span>
    </p>
  );
}
