import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { NominationStatusBadge, RewardStatusBadge } from '~/components/finance-badges';
import { BeneficiaryNames } from '~/components/finance-beneficiaries';
import { Money } from '~/components/finance-money';
import { PageHeader } from '~/components/page-header';
import { PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { UtcDate } from '~/components/time';
import { type FlaggedRewardView, listFlaggedRewards } from '~/domain/rewards/list-flagged-rewards.server';
import { countPendingNominations, listNominations, type NominationListItem } from '~/domain/rewards/list-nominations.server';
import { NOMINATION_VIEWS } from '~/domain/rewards/nomination-views';
import { requirePermission } from '~/utils/auth.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'finance.nominations.title');

// A bad or stale parameter falls back to the first page of the pending queue.
const QueueQuerySchema = z.object({
  view: z.enum(NOMINATION_VIEWS).catch('pending'),
  after: z.string().max(300).optional().catch(undefined),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'finance.approve');
  const params = Object.fromEntries([...new URL(request.url).searchParams].filter(([, value]) => value !== ''));
  const { view, after } = QueueQuerySchema.parse(params);
  const { db } = context.services;
  if (view === 'flagged') {
    const [flagged, pendingCount] = await Promise.all([listFlaggedRewards(db, user, { after }), countPendingNominations(db)]);
    return { view, after: after ?? null, pendingCount, nominations: null, flagged: flagged.rewards, nextCursor: flagged.nextCursor };
  }
  const page = await listNominations(db, user, { status: view, after });
  return { view, after: after ?? null, pendingCount: page.pendingCount, nominations: page.nominations, flagged: null, nextCursor: page.nextCursor };
}

export default function NominationsPage() {
  const { view, after, pendingCount, nominations, flagged, nextCursor } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const href = (tab: string, cursor?: string) => {
    const search = new URLSearchParams({ ...(tab === 'pending' ? {} : { view: tab }), ...(cursor ? { after: cursor } : {}) }).toString();
    return search ? `/finance/nominations?${search}` : '/finance/nominations';
  };
  return (
    <>
      <PageHeader title={t('finance.nominations.title')} intro={t('finance.nominations.intro')} />
      <nav className="segmented" aria-label={t('finance.nominations.tabs.label')}>
        {NOMINATION_VIEWS.map((tab) => (
          <Link key={tab} to={href(tab)} aria-current={view === tab ? 'true' : undefined}>
            {tab === 'pending' ? t('finance.nominations.tabs.pending', { count: pendingCount }) : t(`finance.nominations.tabs.${tab}`)}
          </Link>
        ))}
      </nav>

      {nominations ? (
        nominations.length === 0 ? (
          <p className="empty-state panel">{t(`finance.nominations.empty.${view}`)}</p>
        ) : (
          <ol className="finance-list">
            {nominations.map((nomination) => (
              <NominationCard key={nomination.id} nomination={nomination} />
            ))}
          </ol>
        )
      ) : null}
      {flagged ? (
        flagged.length === 0 ? (
          <p className="empty-state panel">{t('finance.nominations.empty.flagged')}</p>
        ) : (
          <ol className="finance-list">
            {flagged.map((reward) => (
              <FlaggedCard key={reward.rewardId} reward={reward} />
            ))}
          </ol>
        )
      ) : null}

      {after || nextCursor ? (
        <nav className="actions pager" aria-label={t('finance.nominations.pagesLabel')}>
          {after ? (
            <Link to={href(view)} className="button button--secondary button--small">
              {t('finance.nominations.first')}
            </Link>
          ) : null}
          {nextCursor ? (
            <Link to={href(view, nextCursor)} className="button button--secondary button--small" rel="next">
              {t('finance.nominations.more')}
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

function NominationCard({ nomination }: { nomination: NominationListItem }) {
  const { t } = useTranslation();
  const headingId = `nomination-${nomination.id}`;
  return (
    <li>
      <article className="panel finance-card" aria-labelledby={headingId}>
        <div className="finance-card__head">
          <h2 id={headingId} className="finance-card__title">
            <Link to={`/finance/nominations/${nomination.id}`}>{nomination.post.title}</Link>
          </h2>
          <p className="finance-card__amount">
            <Money minor={nomination.amountMinor} currency={nomination.currency} />
          </p>
        </div>
        <p className="finance-card__badges">
          <span className="badge">{t(`finance.triggers.${nomination.trigger}`)}</span> <PostTypeBadge type={nomination.post.type} />{' '}
          <PostStatusBadge status={nomination.post.status} /> <NominationStatusBadge status={nomination.status} />
          {nomination.adjusted ? (
            <>
              {' '}
              <span className="badge badge--muted">{t('finance.nominations.adjusted')}</span>
            </>
          ) : null}
        </p>
        <dl className="finance-facts">
          <div>
            <dt>{t('finance.nominations.facts.beneficiaries')}</dt>
            <dd>
              <BeneficiaryNames beneficiaries={nomination.beneficiaries} />
            </dd>
          </div>
          <div>
            <dt>{t('finance.nominations.facts.computed')}</dt>
            <dd>
              {t('finance.nominations.computedShort', { percent: nomination.impactPercent, version: nomination.policyVersion })}{' '}
              <Money minor={nomination.computedMinor} currency={nomination.currency} />
            </dd>
          </div>
          <div>
            <dt>{t('finance.nominations.facts.support')}</dt>
            <dd>{t('finance.nominations.support', { votes: nomination.post.voteCount, count: nomination.post.orgCount })}</dd>
          </div>
          <div>
            <dt>{t('finance.nominations.facts.approvals')}</dt>
            <dd>{t('finance.nominations.approvalsOf', { approvals: nomination.approvals, required: nomination.approvalsRequired })}</dd>
          </div>
          <div>
            <dt>{nomination.decidedAt ? t('finance.nominations.facts.decided') : t('finance.nominations.facts.nominated')}</dt>
            <dd>
              <UtcDate value={nomination.decidedAt ?? nomination.createdAt} />
            </dd>
          </div>
        </dl>
        <p className="actions">
          <Link to={`/finance/nominations/${nomination.id}`} className="button button--secondary button--small">
            {nomination.status === 'pending' ? t('finance.nominations.review') : t('finance.nominations.open')}
            <span className="visually-hidden">: {nomination.post.title}</span>
          </Link>
        </p>
      </article>
    </li>
  );
}

function FlaggedCard({ reward }: { reward: FlaggedRewardView }) {
  const { t, i18n } = useTranslation();
  const headingId = `flagged-${reward.rewardId}`;
  return (
    <li>
      <article className="panel finance-card" aria-labelledby={headingId}>
        <div className="finance-card__head">
          <h2 id={headingId} className="finance-card__title">
            <Link to={`/finance/nominations/${reward.nominationId}`}>{reward.post.title}</Link>
          </h2>
          <p className="finance-card__amount">
            <Money minor={reward.grossMinor} currency={reward.currency} />
          </p>
        </div>
        <p className="finance-card__badges">
          <span className="badge">{t(`finance.triggers.${reward.trigger}`)}</span> <RewardStatusBadge status={reward.status} />{' '}
          <span className="badge badge--danger">{t('finance.nominations.flagged')}</span>
        </p>
        <p>
          {t('finance.nominations.flaggedWhy', { status: t(`posts.statuses.${reward.post.status}`) })}{' '}
          <strong>{i18n.language === 'zh-CN' ? reward.pseudonymZh : reward.pseudonym}</strong> ({t(`finance.roles.${reward.role}`)}) ·{' '}
          <UtcDate value={reward.flaggedAt} />
        </p>
      </article>
    </li>
  );
}
