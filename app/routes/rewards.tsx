import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { NextPageLink } from '~/components/next-page-link';
import { PageHeader } from '~/components/page-header';
import { PostDay } from '~/components/post-fields';
import { formatMoney } from '~/domain/money/money';
import { getOrgRewardMode } from '~/domain/orgs/get-reward-mode.server';
import { listMyRewards, type MyReward } from '~/domain/rewards/list-my-rewards.server';
import { requireUser } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'rewards.mine.title');

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

/**
 * The signed-in member's own rewards (never anyone else's: the query is
 * scoped to them), with amounts formatted here, in the reader's locale,
 * from bigint minor units.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db } = context.services;
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [page, orgMode, locale] = await Promise.all([listMyRewards(db, user, { after }), getOrgRewardMode(db, user), getLocale(request, context)]);
  const money = (minor: string | null, currency: string) => (minor === null ? null : formatMoney(minor, currency, locale));
  return data(
    {
      rewards: page.rewards.map((reward) => ({
        id: reward.id,
        post: reward.post,
        trigger: reward.trigger,
        role: reward.role,
        status: reward.status,
        explanation: explanationKey(reward),
        gross: reward.status === 'recognised' ? null : money(reward.grossMinor, reward.currency),
        withheld: money(reward.withheldMinor, reward.currency),
        net: money(reward.netMinor, reward.currency),
        milestone: milestoneOf(reward),
      })),
      nextAfter: page.nextAfter,
      awaitingDetails: page.awaitingDetails,
      paidTotals: page.paidTotals.map((total) => formatMoney(total.netMinor, total.currency, locale)),
      orgMode,
    },
    { headers: { 'Cache-Control': 'private, no-store' } },
  );
}

/** The sentence under a status badge: what it means and what, if anything, the member should do. */
function explanationKey(reward: MyReward): string {
  const toOrg = reward.payoutMode === 'org';
  switch (reward.status) {
    case 'approved':
      if (toOrg) return 'rewards.explanations.approvedOrg';
      return reward.needsPayoutDetails ? 'rewards.explanations.approvedNeedsDetails' : 'rewards.explanations.approvedMember';
    case 'paid':
      return toOrg ? 'rewards.explanations.paidOrg' : 'rewards.explanations.paidMember';
    default:
      return `rewards.explanations.${reward.status}`;
  }
}

/** The latest step that happened, to the day. */
function milestoneOf(reward: MyReward): { label: 'nominatedOn' | 'approvedOn' | 'paidOn'; day: string } {
  if (reward.paidDay) return { label: 'paidOn', day: reward.paidDay };
  if (reward.approvedDay) return { label: 'approvedOn', day: reward.approvedDay };
  return { label: 'nominatedOn', day: reward.nominatedDay };
}

const STATUS_TONE: Record<string, string> = {
  paid: 'badge--success',
  recognised: 'badge--success',
  returned: 'badge--danger',
  rejected: 'badge--muted',
  cancelled: 'badge--muted',
};

export default function MyRewardsPage() {
  const { rewards, nextAfter, awaitingDetails, paidTotals, orgMode } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('rewards.mine.title')} intro={t('rewards.mine.intro')} />

      {awaitingDetails > 0 ? (
        <div className="notice rewards-waiting" role="status">
          <p>{t('rewards.mine.waiting', { count: awaitingDetails })}</p>
          <Link to="/rewards/payout" className="button button--small">
            {t('rewards.mine.giveDetails')}
          </Link>
        </div>
      ) : null}

      <div className="grid">
        {orgMode ? (
          <section className="panel" aria-labelledby="rewards-org-mode">
            <h2 id="rewards-org-mode">{t('rewards.yourOrg.title')}</h2>
            <p>
              {orgMode.setBy === null && orgMode.mode === 'recognition'
                ? t('rewards.yourOrg.notChosen')
                : t('rewards.yourOrg.chosen', { mode: t(`rewards.modes.${orgMode.mode}`) })}
            </p>
            <p className="small muted">
              {t(`rewards.modeHints.${orgMode.mode}`)} {t('rewards.yourOrg.askAdmin')}
            </p>
          </section>
        ) : null}
        <section className="panel" aria-labelledby="rewards-paid-total">
          <h2 id="rewards-paid-total">{t('rewards.mine.paidTotal')}</h2>
          {paidTotals.length > 0 ? (
            paidTotals.map((total) => (
              <p className="stat" key={total}>
                {total}
              </p>
            ))
          ) : (
            <p className="stat">{t('rewards.mine.notApplicable')}</p>
          )}
          <p className="actions">
            <Link to="/rewards/payout" className="button button--secondary button--small">
              {t('rewards.mine.payoutLink')}
            </Link>
            <Link to="/hall-of-fame" className="button button--ghost button--small">
              {t('rewards.mine.hallOfFameLink')}
            </Link>
          </p>
        </section>
      </div>

      <section className="panel" aria-label={t('rewards.mine.listLabel')}>
        {rewards.length === 0 ? (
          <p className="empty-state">{t('rewards.mine.empty')}</p>
        ) : (
          <DataTable
            columns={[
              t('rewards.mine.columns.post'),
              t('rewards.mine.columns.trigger'),
              t('rewards.mine.columns.status'),
              t('rewards.mine.columns.gross'),
              t('rewards.mine.columns.withheld'),
              t('rewards.mine.columns.net'),
              t('rewards.mine.columns.date'),
            ]}
          >
            {rewards.map((reward) => (
              <tr key={reward.id}>
                <td className="post-row__title">
                  {reward.post ? (
                    <Link to={`/posts/${reward.post.id}`}>{reward.post.title}</Link>
                  ) : (
                    <span className="muted">{t('rewards.mine.postUnavailable')}</span>
                  )}
                </td>
                <td>
                  {t(`rewards.triggers.${reward.trigger}`)}
                  <span className="small muted reward-row__note">
                    {reward.role === 'author' ? t('rewards.roles.author') : `${t('rewards.roles.coauthor')}: ${t('rewards.roles.coauthorHint')}`}
                  </span>
                </td>
                <td className="reward-row__status">
                  <span className={`badge ${STATUS_TONE[reward.status] ?? ''}`.trim()}>{t(`rewards.statuses.${reward.status}`)}</span>
                  <span className="small muted reward-row__note">{t(reward.explanation)}</span>
                </td>
                <td className="numeric">
                  {reward.gross === null ? (
                    t('rewards.mine.recognitionOnly')
                  ) : (
                    <>
                      {reward.gross}
                      {reward.status === 'nominated' ? <span className="small muted reward-row__note">{t('rewards.mine.proposed')}</span> : null}
                    </>
                  )}
                </td>
                <td className="numeric">{reward.withheld ?? t('rewards.mine.notApplicable')}</td>
                <td className="numeric">{reward.net ?? t('rewards.mine.notApplicable')}</td>
                <td>
                  {t(`rewards.mine.${reward.milestone.label}`)} <PostDay day={reward.milestone.day} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
        <NextPageLink after={nextAfter}>{t('rewards.mine.older')}</NextPageLink>
      </section>
    </>
  );
}
