import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { DataTable } from '~/components/data-table';
import { PageHeader } from '~/components/page-header';
import { PostDay, PostStatusBadge, PostTypeBadge } from '~/components/post-fields';
import { isDomainError } from '~/domain/errors';
import { getProfile } from '~/domain/profiles/get-profile.server';
import { notFound } from '~/utils/http.server';
import { getT, isLocale } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction<typeof loader> = ({ data: loaded, matches }) => {
  if (!loaded) return pageTitle({ matches }, 'common.errors.notFoundTitle');
  const rootData = matches.find((match) => match.id === 'root')?.data as { locale?: unknown } | undefined;
  const t = getT(isLocale(rootData?.locale) ? rootData.locale : 'en');
  return [{ title: `${loaded.profile.pseudonym} · ${t('common.brand')}` }];
};

const ParamsSchema = z.object({ userId: z.string().min(1).max(64) });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Public like the post page: a pseudonym's profile is for anyone to read.
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  const locale = await getLocale(request, context);
  try {
    const profile = await getProfile(context.services.db, { userId: parsed.data.userId, locale });
    return { profile };
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
}

export default function ProfilePage() {
  const { profile } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const title = (
    <>
      <span className="avatar" aria-hidden="true">
        {profile.pseudonym.slice(0, 1)}
      </span>{' '}
      {profile.pseudonym}
    </>
  );
  return (
    <>
      <PageHeader title={title} intro={t('profile.intro')} />

      <section className="panel" aria-labelledby="profile-reputation">
        <p className="post__badges">
          {profile.orgTier ? (
            <span className="badge badge--muted">{t('profile.tier', { tier: t(`common.tiers.${profile.orgTier}`) })}</span>
          ) : null}
        </p>
        <h2 id="profile-reputation">{t('profile.reputation')}</h2>
        <p>
          <strong>{t('profile.reputationValue', { count: profile.reputation })}</strong>
        </p>
        <p className="small muted">
          {t('profile.reputationHint')} <Link to="/leaderboard">{t('profile.leaderboardLink')}</Link>
        </p>

        <h2>{t('profile.badges.title')}</h2>
        {profile.badges.length === 0 ? (
          <p className="empty-state">{t('profile.badges.none')}</p>
        ) : (
          <ul className="badge-list">
            {profile.badges.map((badge) => (
              <li key={badge}>
                <span className="badge">{t(`profile.badges.${badge}`)}</span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="panel" aria-labelledby="profile-posts">
        <h2 id="profile-posts">{t('profile.posts.title')}</h2>
        {profile.posts.length === 0 ? (
          <p className="empty-state">{t('profile.posts.empty')}</p>
        ) : (
          <DataTable
            columns={[
              t('profile.posts.columns.title'),
              t('profile.posts.columns.type'),
              t('profile.posts.columns.status'),
              t('profile.posts.columns.votes'),
              t('profile.posts.columns.posted'),
            ]}
          >
            {profile.posts.map((post) => (
              <tr key={post.id}>
                <td className="post-row__title">
                  <Link to={`/posts/${post.id}`}>{post.title}</Link>
                </td>
                <td>
                  <PostTypeBadge type={post.type} />
                </td>
                <td>
                  <PostStatusBadge status={post.status} />
                </td>
                <td className="numeric">{post.voteCount}</td>
                <td>
                  <PostDay day={post.createdDay} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </>
  );
}
