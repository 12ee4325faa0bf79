import { Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import type { TagView } from '~/domain/tags/choices';

/** A tag: its name always shown, its colour a swatch beside it (decoration only). */
export function TagBadge({ tag, href }: { tag: Pick<TagView, 'name' | 'color'>; href?: string }) {
  const className = `tag-badge tag-badge--${tag.color}`;
  const content = (
    <>
      <TagSwatch color={tag.color} />
      {tag.name}
    </>
  );
  return href ? (
    <Link to={href} className={className}>
      {content}
    </Link>
  ) : (
    <span className={className}>{content}</span>
  );
}

export function TagSwatch({ color }: { color: string }) {
  return <span className={`tag-swatch tag-swatch--${color}`} aria-hidden="true" />;
}

/** A post's tags as a list; linked ones lead to the feed filtered by that tag. */
export function TagBadges({ tags, linked = false }: { tags: readonly TagView[]; linked?: boolean }) {
  const { t } = useTranslation();
  if (tags.length === 0) return null;
  return (
    <ul className="tag-list tag-badges" aria-label={t('triage.tags.label')}>
      {tags.map((tag) => (
        <li key={tag.id}>
          <TagBadge tag={tag} href={linked ? `/posts?tag=${encodeURIComponent(tag.slug)}` : undefined} />
        </li>
      ))}
    </ul>
  );
}
