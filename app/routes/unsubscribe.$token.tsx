import { getFormProps, useForm } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, isRouteErrorResponse, Link, useActionData, useLoaderData, useRouteError } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { FormErrors, SubmitButton } from '~/components/forms';
import { MailPreferenceFields } from '~/components/mail-preference-fields';
import { isDomainError } from '~/domain/errors';
import { findMailPreferencesByToken } from '~/domain/notifications/find-mail-preferences-by-token.server';
import type { MailPreferences } from '~/domain/notifications/mail-preferences';
import { setMailPreferencesByToken } from '~/domain/notifications/set-mail-preferences.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { notFound } from '~/utils/http.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'notifications.unsubscribe.title');

const NO_MAIL: MailPreferences = { replies: false, statusChanges: false };

const ParamsSchema = z.object({ token: z.string().regex(/^[a-z0-9]{1,64}$/) });

const UnsubscribeFormSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({ intent: z.literal('all') }),
    z.object({ intent: z.literal('choose'), replies: z.boolean().default(false), statusChanges: z.boolean().default(false) }),
  ],
  { error: 'notifications.errors.unknownAction' },
);

const ChoiceFieldsSchema = z.object({ replies: z.boolean().optional(), statusChanges: z.boolean().optional() });

/** The token from the link; anything that cannot be one is simply not found. */
function parseToken(params: unknown): string {
  const parsed = ParamsSchema.safeParse(params);
  if (!parsed.success) throw notFound();
  return parsed.data.token;
}

/**
 * Works without logging in: the token in the link is the authority, and the
 * page shows only the two choices, never whose they are (the link may be read
 * by whoever shares the mailbox).
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const token = parseToken(params);
  const preferences = await findMailPreferencesByToken(context.services.db, token);
  if (!preferences) throw notFound();
  return data({ preferences }, { headers: { 'Cache-Control': 'private, no-store' } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = parseToken(params);
  const { db } = context.services;
  const formData = await request.formData();

  // RFC 8058: a mail program's unsubscribe button POSTs exactly this body from
  // its own servers, with no Origin, cookie or CSRF token. server/web-app.ts
  // lets such POSTs through for this path; here they may only turn mail off.
  const oneClick = formData.get('List-Unsubscribe') === 'One-Click';
  if (!oneClick && !request.headers.get('Origin')) throw new Response('Forbidden', { status: 403 });

  let choice: MailPreferences = NO_MAIL;
  let intent: 'all' | 'choose' = 'all';
  if (!oneClick) {
    const submission = parseWithZod(formData, { schema: UnsubscribeFormSchema });
    if (submission.status !== 'success') return data({ result: submission.reply(), done: false }, { status: 400 });
    intent = submission.value.intent;
    if (submission.value.intent === 'choose') {
      choice = { replies: submission.value.replies, statusChanges: submission.value.statusChanges };
    }
  }
  try {
    await setMailPreferencesByToken(db, token, choice);
  } catch (error) {
    if (isDomainError(error) && error.status === 404) throw notFound();
    throw error;
  }
  if (oneClick) return data({ result: undefined, done: true });
  return redirectWithFlash(`/unsubscribe/${token}`, intent === 'all' ? 'notifications.unsubscribe.doneAll' : 'notifications.unsubscribe.saved');
}

export default function UnsubscribePage() {
  const { preferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <section className="panel panel--narrow">
      <h1>{t('notifications.unsubscribe.title')}</h1>
      <p>{t('notifications.unsubscribe.intro')}</p>
      {actionData?.done ? (
        <p className="flash" role="status">
          {t('notifications.unsubscribe.doneAll')}
        </p>
      ) : null}

      <h2>{t('notifications.unsubscribe.allTitle')}</h2>
      <p className="small muted">{t('notifications.unsubscribe.allIntro')}</p>
      <Form method="post" className="actions">
        <SubmitButton name="intent" value="all">
          {t('notifications.unsubscribe.all')}
        </SubmitButton>
      </Form>

      <h2>{t('notifications.unsubscribe.chooseTitle')}</h2>
      {/* Keyed on the saved choices, so the boxes show them again after "Unsubscribe from all". */}
      <ChoiceForm key={`${preferences.replies}-${preferences.statusChanges}`} preferences={preferences} />
    </section>
  );
}

function ChoiceForm({ preferences }: { preferences: MailPreferences }) {
  const { t } = useTranslation();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    id: 'mail-choices',
    lastResult: actionData?.result,
    defaultValue: preferences,
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChoiceFieldsSchema }),
  });
  return (
    <Form method="post" className="form" {...getFormProps(form)}>
      <FormErrors errors={form.errors} id={form.errorId} />
      <MailPreferenceFields replies={fields.replies} statusChanges={fields.statusChanges} />
      <div className="actions">
        <SubmitButton name="intent" value="choose" className="button button--secondary">
          {t('notifications.unsubscribe.save')}
        </SubmitButton>
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const unknownLink = status === 404;
  return (
    <section className="panel panel--narrow error-page">
      <p className="error-page__code">{status}</p>
      <h1>{unknownLink ? t('notifications.unsubscribe.notFoundTitle') : t('common.errors.title')}</h1>
      <p>{unknownLink ? t('notifications.unsubscribe.notFound') : t('common.errors.generic')}</p>
      <Link to="/settings#mail-notifications" className="button">
        {t('notifications.unsubscribe.settingsLink')}
      </Link>
    </section>
  );
}
