import { getFormProps, getInputProps, useForm } from '@conform-to/react';
import { getZodConstraint, parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { LocaleOptions } from '~/components/choice-options';
import { errorsOf, Field, FormErrors, SelectField, SubmitButton } from '~/components/forms';
import { InviteCreatedNotice } from '~/components/invite-created-notice';
import { InviteList } from '~/components/invite-list';
import { OrgRewardSettings, RewardModeFormSchema } from '~/components/org-reward-settings';
import { PageHeader } from '~/components/page-header';
import { LOCALE_CHOICES } from '~/domain/admin/choices';
import { createInvite } from '~/domain/admin/create-invite.server';
import { getOrg } from '~/domain/admin/get-org.server';
import { listInvites } from '~/domain/admin/list-invites.server';
import { revokeInvite } from '~/domain/admin/revoke-invite.server';
import { getOrgRewardMode } from '~/domain/orgs/get-reward-mode.server';
import { setRewardMode } from '~/domain/orgs/set-reward-mode.server';
import { getOrgPayoutSummary, saveOrgPayoutDetails } from '~/domain/payouts/payout-details.server';
import { PAYOUT_SECRET_FIELDS, PayoutDetailsFormSchema } from '~/domain/rewards/payout-details-form';
import { requirePermission } from '~/utils/auth.server';
import { keyedHash } from '~/utils/crypto.server';
import { replyWithDomainError } from '~/utils/forms.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { getLocale } from '~/utils/locale.server';
import { pageTitle } from '~/utils/meta';
import { hitRateLimit, LIMITS, rateLimitedReply } from '~/utils/rate-limit.server';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.orgPage.title');

const InviteMemberFormSchema = z.object({
  email: z
    .email({ error: 'common.errors.invalidEmail' })
    .max(254, { error: 'common.errors.invalidEmail' }),
  makeOrgAdmin: z.boolean().optional(),
  locale: z.enum(LOCALE_CHOICES, { error: 'admin.errors.localeRequired' }),
});

const OrgActionSchema = z.discriminatedUnion(
  'intent',
  [
    InviteMemberFormSchema.extend({ intent: z.literal('invite') }),
    z.object({ intent: z.literal('revoke'), inviteId: z.string({ error: 'common.errors.required' }).max(64) }),
    RewardModeFormSchema.extend({ intent: z.literal('reward-mode') }),
    PayoutDetailsFormSchema.extend({ intent: z.literal('org-payout') }),
  ],
  { error: 'admin.errors.unknownAction' },
);

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

/**
 * An org admin's page: their org's name, tier and active member count (a
 * count only: never who the members are or who posted what), inviting
 * members of their own org, and that org's invites.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'org.invite');
  const locale = await getLocale(request, context);
  // A vendor admin has the permission but belongs to no org.
  if (!user.orgId) return { org: null, invites: [], nextAfter: null, locale, rewards: null };
  const { db } = context.services;
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [org, page, rewardMode, orgPayout] = await Promise.all([
    getOrg(db, user, user.orgId),
    listInvites(db, user, { orgId: user.orgId, after }),
    getOrgRewardMode(db, user),
    getOrgPayoutSummary(db, user.orgId),
  ]);
  return {
    org: { name: org.name, valueTier: org.valueTier, activeMemberCount: org.activeMemberCount },
    ...page,
    locale,
    // How the org's people are rewarded; its payout account only as its last four characters.
    rewards: rewardMode && {
      mode: rewardMode,
      payout: orgPayout && { last4: orgPayout.last4, savedDay: orgPayout.updatedAt.toISOString().slice(0, 10) },
    },
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requirePermission(request, context, 'org.invite');
  const formData = await request.formData();
  const intent = String(formData.get('intent') ?? '');
  const submission = parseWithZod(formData, { schema: OrgActionSchema });
  if (submission.status !== 'success') {
    // A refused org payout form never echoes the account number back.
    const result = submission.reply(intent === 'org-payout' ? { hideFields: PAYOUT_SECRET_FIELDS } : undefined);
    return data({ intent, result, created: null }, { status: 400 });
  }
  if (!user.orgId) {
    return data({ intent, result: submission.reply({ formErrors: ['admin.errors.noOrg'] }), created: null }, { status: 400 });
  }
  const { db, vaultKeys, mailer, env } = context.services;
  const command = submission.value;
  if (command.intent === 'reward-mode') {
    try {
      await setRewardMode(db, user, { mode: command.mode, consent: command.consent });
    } catch (error) {
      return data({ intent, result: replyWithDomainError(submission, error, 'rewards.orgMode.errors'), created: null }, { status: 400 });
    }
    return redirectWithFlash('/org#reward-mode', 'rewards.orgMode.saved');
  }
  if (command.intent === 'org-payout') {
    const limit = await hitRateLimit(db, LIMITS.payoutDetailsPerAccount, keyedHash(vaultKeys.rateLimit, user.id));
    if (!limit.allowed) {
      const refused = rateLimitedReply('rewards.payout.errors.rateLimited', limit);
      const result = submission.reply({ formErrors: [refused.message], hideFields: PAYOUT_SECRET_FIELDS });
      return data({ intent, result, created: null }, refused.init);
    }
    try {
      await saveOrgPayoutDetails(db, vaultKeys, user, command);
    } catch (error) {
      const result = replyWithDomainError(submission, error, 'rewards.payout.errors');
      return data({ intent, result, created: null }, { status: 400 });
    }
    return redirectWithFlash('/org#org-payout', 'rewards.orgPayout.saved');
  }
  try {
    if (command.intent === 'revoke') {
      await revokeInvite(db, user, { inviteId: command.inviteId });
      return redirectWithFlash('/org', 'admin.flash.inviteRevoked');
    }
    const { link, mail } = await createInvite(
      db,
      vaultKeys,
      user,
      {
        email: command.email,
        orgId: user.orgId,
        roles: command.makeOrgAdmin ? ['org_admin'] : [],
        locale: command.locale,
      },
      env.PUBLIC_URL,
    );
    // When the mail fails the invite still stands: its link is shown below,
    // to be passed on another way.
    const mailSent = await mailer.trySend(mail);
    return data({ intent, result: submission.reply({ resetForm: true }), created: { link, mailSent } });
  } catch (error) {
    const result = replyWithDomainError(submission, error, 'admin.errors');
    return data({ intent, result, created: null }, { status: 400 });
  }
}

export default function OrgPage() {
  const { org, invites, nextAfter, locale, rewards } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const [form, fields] = useForm({
    id: 'invite-member',
    lastResult: actionData?.intent === 'invite' ? actionData.result : undefined,
    defaultValue: { locale },
    constraint: getZodConstraint(InviteMemberFormSchema),
    onValidate: ({ formData }) => parseWithZod(formData, { schema: InviteMemberFormSchema }),
    shouldRevalidate: 'onBlur',
  });
  const created = actionData?.created;
  const revokeErrors = actionData?.intent === 'revoke' ? errorsOf(actionData.result) : undefined;

  if (!org) {
    return (
      <section className="panel panel--narrow">
        <h1>{t('admin.orgPage.title')}</h1>
        <p>{t('admin.orgPage.noOrg')}</p>
        <Link to="/admin/orgs" className="button button--secondary">
          {t('admin.orgPage.toAdmin')}
        </Link>
      </section>
    );
  }

  const adminProps = getInputProps(fields.makeOrgAdmin, { type: 'checkbox' });
  return (
    <>
      <PageHeader title={org.name} intro={t('admin.orgPage.intro')} />

      <div className="grid">
        <section className="panel" aria-labelledby="org-tier-heading">
          <h2 id="org-tier-heading">{t('admin.orgPage.tier')}</h2>
          <p className="stat">{t(`common.tiers.${org.valueTier}`)}</p>
          <p className="small muted">{t('admin.orgPage.tierHint')}</p>
        </section>
        <section className="panel" aria-labelledby="org-members-heading">
          <h2 id="org-members-heading">{t('admin.orgPage.members')}</h2>
          <p className="stat">{org.activeMemberCount}</p>
          <p className="small muted">{t('admin.orgPage.membersHint')}</p>
        </section>
      </div>

      {created ? <InviteCreatedNotice link={created.link} mailSent={created.mailSent} /> : null}

      <section className="panel" aria-labelledby="invite-member-heading">
        <h2 id="invite-member-heading">{t('admin.orgPage.inviteTitle')}</h2>
        <p className="muted small">{t('admin.orgPage.inviteIntro')}</p>
        <Form method="post" className="form" {...getFormProps(form)}>
          <FormErrors errors={form.errors} id={form.errorId} />
          <Field meta={fields.email} label={t('admin.invites.email')} type="email" autoComplete="off" maxLength={254} />
          <label className="checkbox">
            <input {...adminProps} key={adminProps.key} />
            {t('admin.orgPage.makeOrgAdmin')}
          </label>
          <SelectField meta={fields.locale} label={t('admin.invites.locale')}>
            <LocaleOptions />
          </SelectField>
          <div className="actions">
            <SubmitButton name="intent" value="invite">
              {t('admin.invites.send')}
            </SubmitButton>
          </div>
        </Form>
      </section>

      {rewards ? (
        <OrgRewardSettings
          settings={rewards}
          modeResult={actionData?.intent === 'reward-mode' ? actionData.result : undefined}
          payoutResult={actionData?.intent === 'org-payout' ? actionData.result : undefined}
        />
      ) : null}

      <InviteList
        scope="own-org"
        title={t('admin.orgPage.invitesTitle')}
        headingId="org-invites-heading"
        invites={invites}
        nextAfter={nextAfter}
        revokeErrors={revokeErrors}
      />
    </>
  );
}
