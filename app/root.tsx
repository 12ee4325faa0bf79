import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { data } from '@remix-run/node';
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useRouteError,
} from '@remix-run/react';
import { useMemo } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { countUnreadNotifications } from '~/domain/notifications/count-unread.server';
import { can, getCurrentUser } from '~/utils/auth.server';
import { takeFlash } from '~/utils/flash.server';
import { getI18n, type Locale } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';
import { useRootData } from '~/utils/root-data';
import styles from './styles/app.css?url';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: styles },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  // getCurrentUser is looked up once per request, so the unread count can wait
  // on it inside the same Promise.all instead of after it.
  const currentUser = getCurrentUser(request, context);
  const [user, locale, flash, unreadNotifications] = await Promise.all([
    currentUser,
    getLocale(request, context),
    takeFlash(request),
    currentUser.then((found) => (found ? countUnreadNotifications(context.services.db, found.id) : 0)),
  ]);
  return data(
    {
      locale,
      nonce: context.nonce,
      flash: flash.message,
      user: user && {
        pseudonym: locale === 'zh-CN' ? user.pseudonymZh : user.pseudonym,
        roles: user.roles,
        isAdmin: can(user, 'admin.orgs'),
        isOrgAdmin: user.roles.includes('org_admin'),
        // Customer members earn rewards; vendor staff (in no org) never do.
        isMember: user.orgId !== null,
        isProductAdmin: can(user, 'product.admin'),
        isAuditor: can(user, 'audit.read'),
        canTriage: can(user, 'triage'),
        canModerate: can(user, 'moderate'),
        canSeeFinance: can(user, 'finance.approve'),
        unreadNotifications,
      },
    },
    { headers: flash.setCookie ? { 'Set-Cookie': flash.setCookie } : undefined },
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const locale: Locale = root?.locale ?? 'en';
  const i18n = useMemo(() => getI18n(locale), [locale]);
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <I18nextProvider i18n={i18n}>
          <Shell>{children}</Shell>
        </I18nextProvider>
        <ScrollRestoration nonce={root?.nonce} />
        <Scripts nonce={root?.nonce} />
      </body>
    </html>
  );
}

function Shell({ children }: { children: React.ReactNode }) {
  const root = useRootData();
  const { t } = useTranslation();
  const location = useLocation();
  const user = root?.user;
  const here = `${location.pathname}${location.search}`;
  return (
    <>
      <a className="skip-link" href="#main">
        {t('common.skipToContent')}
      </a>
      <header className="site-header">
        <div className="site-header__inner">
          <Link to="/" className="brand">
            <span className="brand__mark" aria-hidden="true">
              C
            </span>
            {t('common.brand')}
          </Link>
          <nav aria-label={t('common.nav.main')} className="nav">
              <NavLink to="/" end>
                {t('common.nav.home')}
              </NavLink>
              <NavLink to="/posts">{t('common.nav.feedback')}</NavLink>
              <NavLink to="/search">{t('common.nav.search')}</NavLink>
              <NavLink to="/roadmap">{t('common.nav.roadmap')}</NavLink>
              {user?.canTriage ? <NavLink to="/triage">{t('common.nav.triage')}</NavLink> : null}
              {user?.canTriage ? <NavLink to="/insights">{t('common.nav.insights')}</NavLink> : null}
              {user?.canModerate ? <NavLink to="/moderation">{t('common.nav.moderation')}</NavLink> : null}
              {user?.canSeeFinance ? <NavLink to="/finance">{t('finance.title')}</NavLink> : null}
              {user?.isProductAdmin ? <NavLink to="/admin/areas">{t('common.nav.areas')}</NavLink> : null}
              {user?.isOrgAdmin ? <NavLink to="/org">{t('common.nav.org')}</NavLink> : null}
              {user?.isAdmin ? <NavLink to="/admin">{t('common.nav.admin')}</NavLink> : null}
              {user?.isAuditor ? <NavLink to="/audit">{t('common.nav.audit')}</NavLink> : null}
              {user?.isMember ? <NavLink to="/rewards">{t('rewards.nav.rewards')}</NavLink> : null}
              {user ? (
                <>
                  <NavLink to="/notifications" className="nav__bell">
                    <BellIcon />
                    <span className="visually-hidden">{t('common.nav.notifications')}</span>
                    {user.unreadNotifications > 0 ? (
                      <span className="badge badge--count">
                        {user.unreadNotifications > 99 ? '99+' : user.unreadNotifications}
                        <span className="visually-hidden"> {t('common.nav.unread')}</span>
                      </span>
                    ) : null}
                  </NavLink>
                  <NavLink to="/settings" className="nav__user">
                    <span className="avatar" aria-hidden="true">
                      {user.pseudonym.slice(0, 1)}
                    </span>
                    {user.pseudonym}
                  </NavLink>
                  <Form method="post" action="/logout" className="inline-form">
                    <button type="submit" className="button button--ghost">
                      {t('common.nav.logout')}
                    </button>
                  </Form>
                </>
              ) : (
                <>
                  <NavLink to="/login">{t('common.nav.login')}</NavLink>
                  <Link to="/signup" className="button button--small">
                    {t('common.nav.signup')}
                  </Link>
                </>
              )}
              <LanguageSwitch here={here} />
            </nav>
        </div>
      </header>
      <main id="main" className="main">
        {root?.flash ? (
          <p className="flash" role="status">
            {t(root.flash)}
          </p>
        ) : null}
        {children}
      </main>
      <footer className="site-footer">
        <nav aria-label={t('rewards.nav.footerLabel')} className="site-footer__links">
          <Link to="/hall-of-fame">{t('rewards.nav.hallOfFame')}</Link>
          <Link to="/leaderboard">{t('rewards.nav.leaderboard')}</Link>
        </nav>
        <p>{t('common.footer.privacy')}</p>
      </footer>
    </>
  );
}

function BellIcon() {
  return (
    <svg className="nav__bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
      <path
        d="M12 3a6 6 0 0 0-6 6v3.6L4.4 15.2A1 1 0 0 0 5.3 17h13.4a1 1 0 0 0 .9-1.8L18 12.6V9a6 6 0 0 0-6-6Zm-2.5 15a2.5 2.5 0 0 0 5 0h-5Z"
        fill="currentColor"
      />
    </svg>
  );
}

function LanguageSwitch({ here }: { here: string }) {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'zh-CN' ? 'en' : 'zh-CN';
  return (
    <Form method="post" action="/locale" className="language-switch">
      <input type="hidden" name="redirectTo" value={here} />
      <input type="hidden" name="locale" value={other} />
      <button type="submit" className="button button--ghost">
        <span className="visually-hidden">{t('common.language.label')}: </span>
        <span lang={other}>{other === 'zh-CN' ? t('common.language.zhCN') : t('common.language.en')}</span>
      </button>
    </Form>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, body] =
    status === 404
      ? [t('common.errors.notFoundTitle'), t('common.errors.notFound')]
      : status === 403
        ? [t('common.errors.forbiddenTitle'), t('common.errors.forbidden')]
        : status === 503
          ? [t('common.errors.unavailableTitle'), t('common.errors.unavailable')]
          : [t('common.errors.title'), t('common.errors.generic')];
  return (
    <section className="panel panel--narrow error-page">
      <p className="error-page__code">{status}</p>
      <h1>{title}</h1>
      <p>{body}</p>
      <Link to="/" className="button">
        {t('common.errors.goHome')}
      </Link>
    </section>
  );
}
