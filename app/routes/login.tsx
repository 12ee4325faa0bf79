import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useSearchParams } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/forms';
import { requestEmailVerification } from '~/domain/accounts/request-email-verification.server';
import { logIn } from '~/domain/accounts/log-in.server';
import { isDomainError } from '~/domain/errors';
import { emailLookup } from '~/domain/identity/vault.server';
import { requireAnonymous, startSession } from '~/utils/auth.server';
import { keyedHash } from '~/utils/crypto.server';
import { safeRedirect } from '~/utils/http.server';
import { getLocale } from '~/utils/locale.server';
import { hitRateLimits, LIMITS, rateLimitedReply, resetRateLimit } from '~/utils/rate-limit.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'auth.login.title');

const LoginFormSchema = z.object({
  email: z.email({ error: 'common.errors.invalidEmail' }).max(254, { error: 'common.errors.invalidEmail' }),
  password: z.string({ error: 'common.errors.required' }).max(128, { error: 'auth.password.too_long' }),
  redirectTo: z.string().max(2000).optional(),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, context);
  const submission = parseWithZod(await request.formData(), { schema: LoginFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  }
  const { email, password, redirectTo } = submission.value;
  const { db, vaultKeys } = context.services;

  // Per address and per account; the account key is the same keyed hash
  // whether or not an account exists, so limiting reveals nothing.
  const accountKey = emailLookup(vaultKeys, email);
  const addressKey = keyedHash(vaultKeys.rateLimit, context.clientAddress);
  const limit = await hitRateLimits(db, [
    [LIMITS.loginPerAddress, addressKey],
    [LIMITS.loginPerAccount, accountKey],
  ]);
  if (!limit.allowed) {
    const refused = rateLimitedReply('auth.login.rateLimited', limit);
    return data({ result: submission.reply({ formErrors: [refused.message], hideFields: ['password'] }) }, refused.init);
  }

  try {
    const { userId } = await logIn(db, vaultKeys, { email, password });
    await resetRateLimit(db, LIMITS.loginPerAccount, accountKey);
    return redirect(safeRedirect(redirectTo), { headers: { 'Set-Cookie': await startSession(context, userId) } });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.code === 'not_verified') {
      await requestEmailVerification(context.services, { email, locale: await getLocale(request, context) });
    }
    const message = error.code === 'not_verified' ? 'auth.login.notVerified' : 'auth.login.wrongCredentials';
    return data({ result: submission.reply({ formErrors: [message], hideFields: ['password'] }) }, { status: 400 });
  }
}

export default function LoginPage() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(LoginFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: LoginFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  return (
    <section className="panel panel--narrow">
      <h1>{t('auth.login.title')}</h1>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="redirectTo" value={searchParams.get('redirectTo') ?? '/'} />
        <Field meta={fields.email} label={t('auth.login.email')} type="email" autoComplete="username" />
        <Field meta={fields.password} label={t('auth.login.password')} type="password" autoComplete="current-password" />
        <SubmitButton>{t('auth.login.submit')}</SubmitButton>
      </Form>
      <p className="small">
        <Link to="/forgot-password">{t('auth.login.forgot')}</Link>
      </p>
      <p className="small muted">
        {t('auth.login.noAccount')} <Link to="/signup">{t('auth.login.signupLink')}</Link>
      </p>
    </section>
  );
}

