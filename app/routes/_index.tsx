import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { getCurrentUser } from '~/utils/auth.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'common.tagline');

export async function loader({ request, context }: LoaderFunctionArgs) {
  const [user, locale] = await Promise.all([getCurrentUser(request, context), getLocale(request, context)]);
  if (!user) return { user: null };
  return {
    user: {
      pseudonym: locale === 'zh-CN' ? user.pseudonymZh : user.pseudonym,
      otherPseudonym: locale === 'zh-CN' ? user.pseudonym : user.pseudonymZh,
      roles: user.roles,
    },
  };
}

export default function HomePage() {
  const { user } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (!user) {
    return (
      <div className="hero">
        <section>
          <h1>{t('common.home.heroTitle')}</h1>
          <p className="hero__lead">{t('common.home.heroBody')}</p>
          <div className="hero__actions">
            <Link to="/signup" className="button">
              {t('common.home.getStarted')}
            </Link>
            <Link to="/login" className="button button--secondary">
              {t('common.home.haveAccount')}
            </Link>
          </div>
        </section>
        <section className="panel">
          <h2>{t('common.home.promiseTitle')}</h2>
          <ul className="stack">
            <li>{t('common.home.promise1')}</li>
            <li>{t('common.home.promise2')}</li>
            <li>{t('common.home.promise3')}</li>
          </ul>
        </section>
      </div>
    );
  }
  return (
    <div className="grid">
      <section className="panel">
        <div className="pseudonym-card">
          <span className="avatar" aria-hidden="true">
            {user.pseudonym.slice(0, 1)}
          </span>
          <div>
            <h1 className="pseudonym-card__name">{t('common.home.welcome', { pseudonym: user.pseudonym })}</h1>
            <p className="muted small">{user.otherPseudonym}</p>
          </div>
        </div>
        <p>{t('common.home.welcomeBody')}</p>
        <div className="hero__actions">
          <Link to="/posts/new" className="button">
            {t('common.nav.newPost')}
          </Link>
          <Link to="/posts" className="button button--secondary">
            {t('common.home.browse')}
          </Link>
        </div>
      </section>
      {user.roles.length > 0 ? (
        <section className="panel">
          <h2>{t('common.home.staffTitle')}</h2>
          <p>{t('common.home.staffBody')}</p>
          <ul className="tag-list">
            {user.roles.map((role) => (
              <li key={role} className="badge">
                {t(`common.roles.${role}`)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
