import { getFormProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { LocaleOptions } from '~/components/choice-options';
import { Field, FormErrors, SelectField, SubmitButton } from '~/components/forms';
import { PageHeader } from '~/components/page-header';
import { changePassword } from '~/domain/accounts/change-password.server';
import { setUserLocale } from '~/domain/accounts/set-user-locale.server';
import { isDomainError } from '~/domain/errors';
import { readIdentityProfile } from '~/domain/identity/vault.server';
import { getMailPreferences } from '~/domain/notifications/get-mail-preferences.server';
import { setMailPreferences } from '~/domain/notifications/set-mail-preferences.server';
import { MailPreferenceFields } from '~/components/mail-preference-fields';
import { HallOfFameOptOutForm } from '~/components/hall-of-fame-opt-out-form';
import { getHallOfFameOptOut, setHallOfFameOptOut } from '~/domain/rewards/hall-of-fame.server';
import { getSessionCookie, requireUser } from '~/utils/auth.server';
import { keyedHash } from '~/utils/crypto.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { isLocale, SUPPORTED_LOCALES } from '~/utils/i18n';
import { getLocale, localeCookie } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';
import { hitRateLimit, LIMITS, rateLimitedReply } from '~/utils/rate-limit.server';
import { deleteAllSessions } from '~/utils/session.server';

export const meta: MetaFunction = (args) => pageTitle(args, 'account.settings.title');

const LocaleFormSchema = z.object({
  intent: z.literal('locale'),
  locale: z.enum(SUPPORTED_LOCALES, { error: 'common.errors.required' }),
});

const ChangePasswordFormSchema = z.object({
  intent: z.literal('password'),
  currentPassword: z.string({ error: 'common.errors.required' }).max(128, { error: 'account.password.wrongCurrent' }),
  newPassword: z.string({ error: 'common.errors.required' }).max(128, { error: 'auth.password.too_long' }),
});

const LogOutEverywhereFormSchema = z.object({ intent: z.literal('logout-everywhere') });

// Unchecked boxes are not sent at all: absent means "no mail of this kind".
const MailFormSchema = z.object({
  intent: z.literal('mail'),
  replies: z.boolean().default(false),
  statusChanges: z.boolean().default(false),
});

// An unticked box is not sent: absent means "list me".
const HallOfFameFormSchema = z.object({
  intent: z.literal('hall-of-fame'),
  optOut: z.boolean().default(false),
});

const SettingsFormSchema = z.discriminatedUnion('intent', [
  LocaleFormSchema,
  ChangePasswordFormSchema,
  LogOutEverywhereFormSchema,
  MailFormSchema,
  HallOfFameFormSchema,
]);

// The intent travels on the submit button, which on-blur validation in the
// browser does not see; the browser checks the fields only.
const ChangePasswordFieldsSchema = ChangePasswordFormSchema.omit({ intent: true });

const PASSWORD_FIELDS = ['currentPassword', 'newPassword'];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { db, vaultKeys } = context.services;
  const [identity, locale, mailPreferences, hallOfFameOptOut] = await Promise.all([
    readIdentityProfile(db, vaultKeys, { userId: user.id, readerId: user.id, purpose: 'own-settings' }),
    getLocale(request, context),
    getMailPreferences(db, user),
    getHallOfFameOptOut(db, user.id),
  ]);
  return data(
    {
      pseudonym: user.pseudonym,
      pseudonymZh: user.pseudonymZh,
      name: identity?.name ?? null,
      email: identity?.email ?? null,
      preferredLocale: isLocale(user.locale) ? user.locale : locale,
      mailPreferences,
      hallOfFameOptOut,
    },
    // The real name and email must not linger in a shared or proxy cache.
    { headers: { 'Cache-Control': 'private, no-store' } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: SettingsFormSchema });
  if (submission.status !== 'success') {
    const intent = String(submission.payload.intent ?? '');
    return data({ intent, result: submission.reply({ hideFields: PASSWORD_FIELDS }) }, { status: 400 });
  }
  const { db, vaultKeys } = context.services;
  const form = submission.value;

  switch (form.intent) {
    case 'locale': {
      await setUserLocale(db, user.id, form.locale);
      return redirectWithFlash('/settings', 'account.language.saved', {
        headers: { 'Set-Cookie': await localeCookie.serialize(form.locale) },
      });
    }
    case 'password': {
      // A stolen session must not become a way to guess the password.
      const limit = await hitRateLimit(db, LIMITS.passwordChangePerAccount, keyedHash(vaultKeys.rateLimit, user.id));
      if (!limit.allowed) {
        const refused = rateLimitedReply('account.password.rateLimited', limit);
        const result = submission.reply({ formErrors: [refused.message], hideFields: PASSWORD_FIELDS });
        return data({ intent: form.intent, result }, refused.init);
      }
      try {
        await changePassword(db, {
          userId: user.id,
          keepSessionId: user.sessionId,
          currentPassword: form.currentPassword,
          newPassword: form.newPassword,
        });
      } catch (error) {
        if (!isDomainError(error)) throw error;
        const [field, message] =
          error.code === 'wrong_password'
            ? ['currentPassword', 'account.password.wrongCurrent']
            : error.code === 'password_unchanged'
              ? ['newPassword', 'account.password.unchanged']
              : ['newPassword', `auth.password.${error.code.slice('password_'.length)}`];
        return data(
          { intent: form.intent, result: submission.reply({ fieldErrors: { [field]: [message] }, hideFields: PASSWORD_FIELDS }) },
          { status: 400 },
        );
      }
      return redirectWithFlash('/settings', 'account.password.changed');
    }
    case 'logout-everywhere': {
      await deleteAllSessions(db, user.id);
      return redirectWithFlash('/login', 'account.sessions.done', {
        headers: { 'Set-Cookie': await getSessionCookie(context).serialize('', { maxAge: 0 }) },
      });
    }
    case 'mail': {
      await setMailPreferences(db, user, { replies: form.replies, statusChanges: form.statusChanges });
      return redirectWithFlash('/settings#mail-notifications', 'notifications.preferences.saved');
    }
    case 'hall-of-fame': {
      await setHallOfFameOptOut(db, user, { optOut: form.optOut });
      return redirectWithFlash('/settings#hall-of-fame', 'rewards.optOut.saved');
    }
  }
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const { pseudonym, pseudonymZh, name, email, preferredLocale, hallOfFameOptOut } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [passwordForm, passwordFields] = useForm({
    id: 'change-password',
    lastResult: actionData?.intent === 'password' ? actionData.result : undefined,
    constraint: getZodConstraint(ChangePasswordFieldsSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: ChangePasswordFieldsSchema }),
    shouldRevalidate: 'onBlur',
  });
  const [localeForm, localeFields] = useForm({
    id: 'language',
    lastResult: actionData?.intent === 'locale' ? actionData.result : undefined,
    defaultValue: { locale: preferredLocale },
  });

  return (
    <>
      <PageHeader title={t('account.settings.title')} intro={t('account.settings.intro')} />

      <div className="grid">
        <section className="panel" aria-labelledby="pseudonym-title">
          <h2 id="pseudonym-title">{t('account.pseudonym.title')}</h2>
          <div className="pseudonym-card">
            <span className="avatar" aria-hidden="true">
              {pseudonym.slice(0, 1)}
            </span>
            <dl className="details">
              <dt>{t('account.pseudonym.en')}</dt>
              <dd lang="en">{pseudonym}</dd>
              <dt>{t('account.pseudonym.zh')}</dt>
              <dd lang="zh-CN">{pseudonymZh}</dd>
            </dl>
          </div>
          <p className="small muted">{t('account.pseudonym.hint')}</p>
        </section>

        <section className="panel" aria-labelledby="identity-title">
          <h2 id="identity-title">{t('account.identity.title')}</h2>
          <dl className="details">
            <dt>{t('account.identity.name')}</dt>
            <dd>{name ?? <span className="muted">{t('account.identity.missing')}</span>}</dd>
            <dt>{t('account.identity.email')}</dt>
            <dd>{email ?? <span className="muted">{t('account.identity.missing')}</span>}</dd>
          </dl>
          <p className="small muted">{t('account.identity.hint')}</p>
        </section>
      </div>

      <div className="grid">
        <section className="panel" aria-labelledby="language-title">
          <h2 id="language-title">{t('account.language.title')}</h2>
          <p className="muted">{t('account.language.intro')}</p>
          <Form method="post" className="form" {...getFormProps(localeForm)}>
            <SelectField meta={localeFields.locale} label={t('account.language.label')}>
              <LocaleOptions />
            </SelectField>
            <div className="actions">
              <SubmitButton className="button button--secondary" name="intent" value="locale">
                {t('account.language.submit')}
              </SubmitButton>
            </div>
          </Form>
        </section>

        <section className="panel" aria-labelledby="password-title">
          <h2 id="password-title">{t('account.password.title')}</h2>
          <p className="muted">{t('account.password.intro')}</p>
          <Form method="post" className="form" {...getFormProps(passwordForm)}>
            <FormErrors errors={passwordForm.errors} id={passwordForm.errorId} />
            <Field
              meta={passwordFields.currentPassword}
              label={t('account.password.current')}
              type="password"
              autoComplete="current-password"
              maxLength={128}
            />
            <Field
              meta={passwordFields.newPassword}
              label={t('account.password.new')}
              hint={t('account.password.newHint')}
              type="password"
              autoComplete="new-password"
              maxLength={128}
            />
            <div className="actions">
              <SubmitButton name="intent" value="password">
                {t('account.password.submit')}
              </SubmitButton>
            </div>
          </Form>
        </section>
      </div>

      <MailNotificationsSection />

      <HallOfFameOptOutForm
        optOut={hallOfFameOptOut}
        lastResult={actionData?.intent === 'hall-of-fame' ? actionData.result : undefined}
      />

      <section className="panel" aria-labelledby="sessions-title">
        <h2 id="sessions-title">{t('account.sessions.title')}</h2>
        <p className="muted">{t('account.sessions.intro')}</p>
        <Form method="post">
          <SubmitButton className="button button--danger" name="intent" value="logout-everywhere">
            {t('account.sessions.submit')}
          </SubmitButton>
        </Form>
      </section>
    </>
  );
}

/** Which notifications also come by mail; the same choices as behind a mail's unsubscribe link. */
function MailNotificationsSection() {
  const { t } = useTranslation();
  const { mailPreferences } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [form, fields] = useForm({
    // Keyed on the saved choices, so the boxes follow a change made elsewhere.
    id: `mail-notifications-${mailPreferences.replies}-${mailPreferences.statusChanges}`,
    lastResult: actionData?.intent === 'mail' ? actionData.result : undefined,
    defaultValue: mailPreferences,
  });
  return (
    <section className="panel" id="mail-notifications" aria-labelledby="mail-notifications-title">
      <h2 id="mail-notifications-title">{t('notifications.preferences.title')}</h2>
      <p className="muted">{t('notifications.preferences.intro')}</p>
      <Form method="post" className="form" {...getFormProps(form)}>
        <FormErrors errors={form.errors} id={form.errorId} />
        <MailPreferenceFields replies={fields.replies} statusChanges={fields.statusChanges} />
        <div className="actions">
          <SubmitButton className="button button--secondary" name="intent" value="mail">
            {t('notifications.preferences.submit')}
          </SubmitButton>
        </div>
      </Form>
    </section>
  );
}
