import { useTranslation } from 'react-i18next';
import { PostStatusBadge } from '~/components/post-fields';
import { UtcDateTime } from '~/components/time';
import type { StatusTimelineEntry } from '~/domain/triage/list-status-timeline.server';

/** A post's status history, oldest first: each move, who on the vendor side made it, when, and why. */
export function StatusTimeline({ entries }: { entries: readonly StatusTimelineEntry[] }) {
  const { t } = useTranslation();
  return (
    <section className="panel status-timeline" id="status-history" aria-labelledby="status-history-title">
      <h2 id="status-history-title">{t('triage.timeline.title')}</h2>
      {entries.length === 0 ? (
        <p className="muted">{t('triage.timeline.empty')}</p>
      ) : (
        <ol className="timeline">
          {entries.map((entry) => {
            const name =
              entry.by.kind === 'system' ? t('triage.timeline.system') : (entry.by.name ?? t('triage.timeline.staffFallback'));
            return (
              <li key={entry.id} className="timeline__item">
                <p className="timeline__change">
                  <PostStatusBadge status={entry.from} />
                  <span aria-hidden="true"> → </span>
                  <span className="visually-hidden"> {t('triage.timeline.to')} </span>
                  <PostStatusBadge status={entry.to} />
                </p>
                <p className="timeline__meta small muted">
                  <span>{t('triage.timeline.by', { name })}</span>
                  <span aria-hidden="true"> · </span>
                  <UtcDateTime value={new Date(entry.at)} />
                </p>
                {entry.note ? <p className="timeline__note">{entry.note}</p> : null}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
