import { Form, Link } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { PostDay } from '~/components/post-fields';
import type { PostMerges } from '~/domain/merges/list-post-merges.server';

/** "5 h 12 min" or "12 min": how long an undo stays possible. */
export function UndoTimeLeft({ minutes }: { minutes: number }) {
  const { t } = useTranslation();
  const [hours, rest] = [Math.floor(minutes / 60), minutes % 60];
  const time =
    hours === 0
      ? t('merge.time.minutes', { minutes })
      : rest === 0
        ? t('merge.time.hours', { hours })
        : t('merge.time.hoursMinutes', { hours, minutes: rest });
  return <>{t('merge.panel.timeLeft', { time })}</>;
}

/**
 * The merge side of a post page. Triage staff get "Merge into another post…"
 * on a live post, and Undo on a merged duplicate while it is allowed; everyone
 * sees the duplicates merged into this post (titles only, never who wrote
 * them), staff with an Undo beside each. Undo is a plain form posting to the
 * duplicate's merge route, so it works without JavaScript.
 */
export function MergePanel({
  postId,
  postTitle,
  merges,
  canMerge,
  isMerged,
}: {
  postId: string;
  postTitle: string;
  merges: PostMerges;
  canMerge: boolean;
  isMerged: boolean;
}) {
  const { t } = useTranslation();
  const ownMerge = merges.mergedInto;
  return (
    <>
      {canMerge ? (
        <section className="panel merge-panel" aria-labelledby="merge-panel-title">
          <h2 id="merge-panel-title">{t('merge.panel.title')}</h2>
          {ownMerge ? (
            ownMerge.undoMinutesLeft !== null ? (
              <UndoForm
                sourceId={postId}
                mergeId={ownMerge.mergeId}
                title={postTitle}
                minutesLeft={ownMerge.undoMinutesLeft}
              />
            ) : (
              <p className="small muted">{t('merge.panel.undoOver')}</p>
            )
          ) : isMerged ? null : (
            <>
              <p>
                <Link to={`/posts/${postId}/merge`} className="button button--secondary">
                  {t('merge.panel.merge')}
                </Link>
              </p>
              <p className="small muted">{t('merge.panel.mergeHint')}</p>
            </>
          )}
        </section>
      ) : null}

      {merges.duplicates.length > 0 ? (
        <section className="panel merge-duplicates" aria-labelledby="merged-duplicates-title">
          <h2 id="merged-duplicates-title">{t('merge.duplicates.title')}</h2>
          <p className="small muted">{t('merge.duplicates.intro')}</p>
          <ul className="merge-duplicates__list">
            {merges.duplicates.map((duplicate) => (
              <li key={duplicate.id}>
                {/* ?view=duplicate: its comments stayed there, so readers may still open it. */}
                <Link to={`/posts/${duplicate.id}?view=duplicate`}>{duplicate.title}</Link>
                <span className="small muted">
                  {' '}
                  · {t('merge.duplicates.mergedOn')} <PostDay day={duplicate.mergedDay} />
                </span>
                {duplicate.undo ? (
                  <UndoForm
                    sourceId={duplicate.id}
                    mergeId={duplicate.undo.mergeId}
                    title={duplicate.title}
                    minutesLeft={duplicate.undo.minutesLeft}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

function UndoForm({ sourceId, mergeId, title, minutesLeft }: { sourceId: string; mergeId: string; title: string; minutesLeft: number }) {
  const { t } = useTranslation();
  return (
    <Form method="post" action={`/posts/${sourceId}/merge`} className="merge-undo">
      <input type="hidden" name="mergeId" value={mergeId} />
      <button
        type="submit"
        name="intent"
        value="undo"
        className="button button--secondary button--small"
        aria-label={t('merge.panel.undoLabel', { title })}
      >
        {t('merge.panel.undo')}
      </button>
      <span className="small muted">
        <UndoTimeLeft minutes={minutesLeft} />
      </span>
    </Form>
  );
}
