import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { Field, FormErrors, SubmitButton } from '~/components/forms';
import { type ResetPasswordError, resetPassword } from '~/domain/accounts/reset-password.server';
import { isDomainError } from '~/domain/errors';
import { redirectWithFlash } from '~/utils/flash.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'auth.reset.title');

const TOKEN_MAX = 64;

const ResetPasswordFormSchema = z.object({
  password: z.string({ error: 'common.errors.required' }).max(128, { error: 'auth.password.too_long' }),
});

type TokenProblem = Extract<ResetPasswordError, `token_${string}`>;

/** Only shows the form: the token is used up by the POST that sets the password. */
export async function loader() {
  return null;
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const submission = parseWithZod(await request.formData(), { schema: ResetPasswordFormSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply({ hideFields: ['password'] }), tokenProblem: null }, { status: 400 });
  }
  const token = params.token ?? '';
  if (!token || token.length > TOKEN_MAX) return tokenFailure('token_invalid');
  try {
    await resetPassword(context.services.db, { token, password: submission.value.password });
  } catch (error) {
    if (!isDomainError(error)) throw error;
    if (error.code.startsWith('token_')) return tokenFailure(error.code as TokenProblem);
    const message = `auth.password.${error.code.slice('password_'.length)}`;
    return data(
      { result: submission.reply({ fieldErrors: { password: [message] }, hideFields: ['password'] }), tokenProblem: null },
      { status: 400 },
    );
  }
  return redirectWithFlash('/login', 'auth.reset.done');
}

function tokenFailure(problem: TokenProblem) {
  return data({ result: undefined, tokenProblem: problem }, { status: 410 });
}

export default function ResetPasswordPage() {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    lastResult: actionData?.result,
    constraint: getZodConstraint(ResetPasswordFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ResetPasswordFormSchema }),
    shouldRevalidate: 'onBlur',
  });

  if (actionData?.tokenProblem) {
    return (
      <section className="panel panel--narrow">
        <h1>{t('auth.reset.failedTitle')}</h1>
        <p className="form-error" role="alert">
          {t(`auth.reset.${actionData.tokenProblem}`)}
        </p>
        <Link to="/forgot-password" className="button">
          {t('auth.reset.requestNew')}
        </Link>
      </section>
    );
  }

  return (
    <section className="panel panel--narrow">
      <h1>{t('auth.reset.title')}</h1>
      <p className="muted">{t('auth.reset.intro')}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <Field
          meta={fields.password}
          label={t('auth.reset.password')}
          hint={t('auth.signup.passwordHint')}
          type="password"
          autoComplete="new-password"
          maxLength={128}
        />
        <SubmitButton>{t('auth.reset.submit')}</SubmitButton>
      </Form>
    </section>
  );
}
