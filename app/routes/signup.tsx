import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/forms';
import { signUp } from '~/domain/accounts/sign-up.server';
import { isDomainError } from '~/domain/errors';
import { requireAnonymous } from '~/utils/auth.server';
import { emailLookup } from '~/domain/identity/vault.server';
import { keyedHash } from '~/utils/crypto.server';
import { SUPPORTED_LOCALES } from '~/utils/i18n';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';
import { hitRateLimits, LIMITS, rateLimitedReply } from '~/utils/rate-limit.server';

export const meta: MetaFunction = (args) => pageTitle(args, 'auth.signup.title');

const SignUpFormSchema = z.object({
  name: z
    .string({ error: 'common.errors.required' })
    .trim()
    .min(1, { error: 'common.errors.required' })
    .max(100, { error: 'common.errors.tooLong?max=100' }),
  email: z.email({ error: 'common.errors.invalidEmail' }).max(254, { error: 'common.errors.invalidEmail' }),
  password: z.string({ error: 'common.errors.required' }).max(128, { error: 'auth.password.too_long' }),
  locale: z.enum(SUPPORTED_LOCALES).optional(),
  inviteToken: z.string().max(64).optional(),
});

/** Problems that belong next to a field rather than above the form. */
const FIELD_OF_ERROR: Record<string, 'email' | undefined> = {
  unknown_domain: 'email',
  invite_email_mismatch: 'email',
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireAnonymous(request, context);
  const invite = new URL(request.url).searchParams.get('invite');
  return {
    inviteToken: invite && invite.length <= 64 ? invite : null,
    locale: await getLocale(request, context),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request, context);
  const submission = parseWithZod(await request.formData(), { schema: SignUpFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }) }, { status: 400 });
  }
  const { db, vaultKeys, mailer, env } = context.services;

  const { name, email, password, inviteToken } = submission.value;
  // Per address, and per account so that nobody can flood one mailbox.
  const limit = await hitRateLimits(db, [
    [LIMITS.signupPerAddress, keyedHash(vaultKeys.rateLimit, context.clientAddress)],
    [LIMITS.signupPerAccount, emailLookup(vaultKeys, email)],
  ]);
  if (!limit.allowed) {
    const refused = rateLimitedReply('auth.signup.rateLimited', limit);
    return data({ result: submission.reply({ formErrors: [refused.message], hideFields: ['password'] }) }, refused.init);
  }
  const locale = submission.value.locale ?? (await getLocale(request, context));
  try {
    const mail = await signUp(db, vaultKeys, { name, email, password, locale, inviteToken }, env.PUBLIC_URL);
    // After the commit: a mail must never announce an account that rolled back.
    mailer.sendInBackground(mail);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const message = error.code.startsWith('password_')
      ? `auth.password.${error.code.slice('password_'.length)}`
      : `auth.signupErrors.${error.code}`;
    const field = error.code.startsWith('password_') ? 'password' : FIELD_OF_ERROR[error.code];
    const result = field
      ? submission.reply({ fieldErrors: { [field]: [message] }, hideFields: ['password'] })
      : submission.reply({ formErrors: [message], hideFields: ['password'] });
    return data({ result }, { status: 400 });
  }
  // The same answer whether or not the email already had an account.
  return { sent: true as const, devMailbox: mailer.keepsMailInDatabase };
}

export default function SignUpPage() {
  const { t } = useTranslation();
  const { inviteToken, locale } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData && 'result' in actionData ? actionData.result : undefined,
    constraint: getZodConstraint(SignUpFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: SignUpFormSchema }),
    shouldRevalidate: 'onBlur',
  });

  if (actionData && 'sent' in actionData) {
    return (
      <section className="panel panel--narrow">
        <h1>{t('auth.signup.checkInboxTitle')}</h1>
        <p role="status">{t('auth.signup.checkInbox')}</p>
        {actionData.devMailbox ? <p className="notice small">{t('auth.signup.devMailbox')}</p> : null}
        <p className="small">
          <Link to="/login">{t('auth.signup.backToLogin')}</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="panel panel--narrow">
      <h1>{t('auth.signup.title')}</h1>
      <p className="muted">{inviteToken ? t('auth.signup.inviteIntro') : t('auth.signup.intro')}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <input type="hidden" name="locale" value={locale} />
        {inviteToken ? <input type="hidden" name="inviteToken" value={inviteToken} /> : null}
        <Field meta={fields.name} label={t('auth.signup.name')} hint={t('auth.signup.nameHint')} autoComplete="name" maxLength={100} />
        <Field
          meta={fields.email}
          label={t('auth.signup.email')}
          hint={inviteToken ? undefined : t('auth.signup.emailHint')}
          type="email"
          autoComplete="email"
          maxLength={254}
        />
        <Field
          meta={fields.password}
          label={t('auth.signup.password')}
          hint={t('auth.signup.passwordHint')}
          type="password"
          autoComplete="new-password"
          maxLength={128}
        />
        <SubmitButton>{t('auth.signup.submit')}</SubmitButton>
      </Form>
      <p className="small muted">
        {t('auth.signup.haveAccount')} <Link to="/login">{t('auth.signup.loginLink')}</Link>
      </p>
    </section>
  );
}
