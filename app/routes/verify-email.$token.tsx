import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useRootData } from '~/utils/root-data';
import { useTranslation } from 'react-i18next';
import { SubmitButton } from '~/components/forms';
import type { VerifyEmailError } from '~/domain/accounts/verify-email.server';
import { verifyEmail } from '~/domain/accounts/verify-email.server';
import { isDomainError } from '~/domain/errors';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'auth.verify.confirmTitle');

const TOKEN_MAX = 64;

/**
 * Only shows the button. Mail scanners and link previews open links with GET,
 * so opening the link must not use up the token.
 */
export async function loader() {
  return null;
}

export async function action({ params, context }: ActionFunctionArgs) {
  const token = params.token ?? '';
  if (!token || token.length > TOKEN_MAX) {
    return data({ problem: 'token_invalid' as VerifyEmailError }, { status: 410 });
  }
  try {
    await verifyEmail(context.services.db, token);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    return data({ problem: error.code as VerifyEmailError }, { status: error.status });
  }
  return { problem: null };
}

export default function VerifyEmailPage() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();

  const signedIn = Boolean(useRootData()?.user);

  if (actionData?.problem) {
    return (
      <section className="panel panel--narrow">
        <h1>{t('auth.verify.failedTitle')}</h1>
        <p className="form-error" role="alert">
          {t(`auth.verify.${actionData.problem}`)}
        </p>
        <p className="small">
          <Link to="/login">{t('auth.verify.loginLink')}</Link>
        </p>
      </section>
    );
  }
  if (actionData) {
    return (
      <section className="panel panel--narrow">
        <h1>{t('auth.verify.title')}</h1>
        <p role="status">{t('auth.verify.done')}</p>
        {/* Someone already signed in (e.g. an admin following the link) goes home instead. */}
        {signedIn ? (
          <Link to="/" className="button">
            {t('common.errors.goHome')}
          </Link>
        ) : (
          <Link to="/login" className="button">
            {t('auth.verify.loginLink')}
          </Link>
        )}
      </section>
    );
  }
  return (
    <section className="panel panel--narrow">
      <h1>{t('auth.verify.confirmTitle')}</h1>
      <p>{t('auth.verify.confirmIntro')}</p>
      <Form method="post" className="form">
        <SubmitButton>{t('auth.verify.confirm')}</SubmitButton>
      </Form>
    </section>
  );
}
