import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/forms';
import { requestPasswordReset } from '~/domain/accounts/reset-password.server';
import { emailLookup } from '~/domain/identity/vault.server';
import { keyedHash } from '~/utils/crypto.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';
import { hitRateLimits, LIMITS, rateLimitedReply } from '~/utils/rate-limit.server';

export const meta: MetaFunction = (args) => pageTitle(args, 'auth.forgot.title');

const ForgotPasswordFormSchema = z.object({
  email: z.email({ error: 'common.errors.invalidEmail' }).max(254, { error: 'common.errors.invalidEmail' }),
});

export async function action({ request, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ForgotPasswordFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { email } = submission.value;
  const { db, vaultKeys, mailer, env } = context.services;

  // The account key is computed the same way whether or not the account
  // exists, so being limited reveals nothing either.
  const limit = await hitRateLimits(db, [
    [LIMITS.resetPerAddress, keyedHash(vaultKeys.rateLimit, context.clientAddress)],
    [LIMITS.resetPerAccount, emailLookup(vaultKeys, email)],
  ]);
  if (!limit.allowed) {
    const refused = rateLimitedReply('auth.forgot.rateLimited', limit);
    return data({ result: submission.reply({ formErrors: [refused.message] }) }, refused.init);
  }

  const mail = await requestPasswordReset(db, vaultKeys, { email, locale: await getLocale(request, context) }, env.PUBLIC_URL);
  if (mail) mailer.sendInBackground(mail);
  // The same answer whether or not an account uses this address.
  return { sent: true as const };
}

export default function ForgotPasswordPage() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData && 'result' in actionData ? actionData.result : undefined,
    constraint: getZodConstraint(ForgotPasswordFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ForgotPasswordFormSchema }),
    shouldRevalidate: 'onBlur',
  });

  if (actionData && 'sent' in actionData) {
    return (
      <section className="panel panel--narrow">
        <h1>{t('auth.forgot.sentTitle')}</h1>
        <p role="status">{t('auth.forgot.sent')}</p>
        <p className="small">
          <Link to="/login">{t('auth.forgot.backToLogin')}</Link>
        </p>
      </section>
    );
  }

  return (
    <section className="panel panel--narrow">
      <h1>{t('auth.forgot.title')}</h1>
      <p className="muted">{t('auth.forgot.intro')}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field meta={fields.email} label={t('auth.forgot.email')} type="email" autoComplete="email" maxLength={254} />
        <SubmitButton>{t('auth.forgot.submit')}</SubmitButton>
      </Form>
      <p className="small">
        <Link to="/login">{t('auth.forgot.backToLogin')}</Link>
      </p>
    </section>
  );
}
