import { parseWithZod } from '@conform-to/zod/v4';
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { data, redirect } from '@remix-run/node';
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { errorsOf, FormErrors, SubmitButton } from '~/components/forms';
import { NextPageLink } from '~/components/next-page-link';
import { PageHeader } from '~/components/page-header';
import { PostDay } from '~/components/post-fields';
import { isDomainError } from '~/domain/errors';
import { describeNotification, type NotificationView, notificationHref } from '~/domain/notifications/describe-notification';
import { listNotifications } from '~/domain/notifications/list-notifications.server';
import { markAllNotificationsRead } from '~/domain/notifications/mark-all-notifications-read.server';
import { openNotification } from '~/domain/notifications/open-notification.server';
import { requireUser } from '~/utils/auth.server';
import { redirectWithFlash } from '~/utils/flash.server';
import { notFound } from '~/utils/http.server';
import { pageTitle } from '~/utils/meta';
import { useRootData } from '~/utils/root-data';

export const meta: MetaFunction = (args) => pageTitle(args, 'notifications.title');

const NotificationActionSchema = z.discriminatedUnion(
  'intent',
  [
    z.object({
      intent: z.literal('open'),
      notificationId: z.string({ error: 'notifications.errors.unknownAction' }).min(1).max(64, { error: 'notifications.errors.unknownAction' }),
    }),
    z.object({ intent: z.literal('read-all') }),
  ],
  { error: 'notifications.errors.unknownAction' },
);

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return listNotifications(context.services.db, user, { after });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const submission = parseWithZod(await request.formData(), { schema: NotificationActionSchema });
  if (submission.status !== 'success') {
    return data({ result: submission.reply() }, { status: 400 });
  }
  const { db } = context.services;
  const command = submission.value;
  switch (command.intent) {
    case 'open': {
      try {
        const notification = await openNotification(db, user, { notificationId: command.notificationId });
        // A post the member can no longer see leaves them on this page, now read.
        return redirect(notificationHref(notification) ?? '/notifications');
      } catch (error) {
        if (isDomainError(error) && error.status === 404) throw notFound();
        throw error;
      }
    }
    case 'read-all':
      await markAllNotificationsRead(db, user);
      return redirectWithFlash('/notifications', 'notifications.flash.allRead');
  }
}

export default function NotificationsPage() {
  const { notifications, nextAfter } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation();
  const unread = useRootData()?.user?.unreadNotifications ?? 0;

  return (
    <>
      <PageHeader title={t('notifications.title')} intro={t('notifications.intro')} />
      <section className="panel" aria-label={t('notifications.listLabel')}>
        <FormErrors errors={errorsOf(actionData?.result)} />
        {unread > 0 ? (
          <Form method="post" className="actions notifications__toolbar">
            <SubmitButton name="intent" value="read-all" className="button button--secondary button--small">
              {t('notifications.markAllRead')}
            </SubmitButton>
          </Form>
        ) : null}
        {notifications.length === 0 ? (
          <p className="empty-state">{t('notifications.empty')}</p>
        ) : (
          <ol className="notification-list">
            {notifications.map((notification) => (
              <NotificationItem key={notification.id} notification={notification} />
            ))}
          </ol>
        )}
        <NextPageLink after={nextAfter}>{t('notifications.older')}</NextPageLink>
        <p className="small muted">
          {t('notifications.mailHint')} <Link to="/settings#mail-notifications">{t('notifications.mailSettingsLink')}</Link>
        </p>
      </section>
    </>
  );
}

/** One line; opening it (a POST) marks it read and leads to what it is about. */
function NotificationItem({ notification }: { notification: NotificationView }) {
  const { t, i18n } = useTranslation();
  return (
    <li className={notification.read ? 'notification' : 'notification notification--unread'}>
      <Form method="post" className="notification__form">
        <input type="hidden" name="notificationId" value={notification.id} />
        <button type="submit" name="intent" value="open" className="notification__open">
          {/* Unread is said in words, not by colour alone. */}
          {notification.read ? null : <span className="badge notification__badge">{t('notifications.unread')}</span>}
          <span className="notification__text">{describeNotification(t, i18n.language, notification)}</span>
          <span className="notification__day small muted">
            <PostDay day={notification.day} />
          </span>
        </button>
      </Form>
    </li>
  );
}
