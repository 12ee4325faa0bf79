import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { IdentifyingKind } from '~/domain/posts/detect-identifying-text';
import type { TextSegment } from '~/domain/posts/highlight';

export function PostTypeBadge({ type }: { type: string }) {
  const { t } = useTranslation();
  return <span className={`badge post-type post-type--${type}`}>{t(`posts.types.${type}`)}</span>;
}

const STATUS_TONE: Record<string, string> = {
  shipped: 'badge--success',
  declined: 'badge--danger',
  merged: 'badge--muted',
  open: 'badge--muted',
};

export function PostStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  return <span className={`badge ${STATUS_TONE[status] ?? ''}`.trim()}>{t(`posts.statuses.${status}`)}</span>;
}

/** Text with its matches in <mark>; the segments are text, never HTML. */
export function Highlighted({ segments }: { segments: readonly TextSegment[] }) {
  return (
    <>
      {segments.map((segment, index) =>
        // Segments are positional slices of one text, so the index is a stable key.
        segment.match ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </>
  );
}

/** A day as the reader's locale writes it; member actions are shown to the day only. */
export function PostDay({ day }: { day: string }) {
  const { i18n } = useTranslation();
  const date = new Date(`${day}T00:00:00Z`);
  return (
    <time dateTime={day}>
      {new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(date)}
    </time>
  );
}

/** What the compose check found, named, with a way to post anyway. */
export function IdentityWarning({
  kinds,
  bodyKey = 'posts.compose.identityBody',
  children,
}: {
  kinds: readonly IdentifyingKind[];
  /** The sentence naming what was found; the edit page says "save" where compose says "post". */
  bodyKey?: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  if (kinds.length === 0) return null;
  const found = kinds.map((kind) => t(`posts.compose.identityKinds.${kind}`)).join(t('posts.compose.identityListSeparator'));
  return (
    <div className="notice identity-warning" role="alert">
      <p>
        <strong>{t('posts.compose.identityTitle')}</strong>
      </p>
      <p>{t(bodyKey, { found })}</p>
      {children}
    </div>
  );
}

/** The draft as it will read, rendered and sanitised on the server; nothing until a preview is asked for. */
export function DraftPreview({ html }: { html: string | null | undefined }) {
  const { t } = useTranslation();
  if (html === null || html === undefined) return null;
  return (
    <section className="post-preview" aria-labelledby="preview-heading">
      <h2 id="preview-heading">{t('posts.compose.previewTitle')}</h2>
      {html ? (
        // Rendered and sanitised on the server by renderMarkdown.
        <div className="prose" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <p className="muted">{t('posts.compose.previewEmpty')}</p>
      )}
    </section>
  );
}
