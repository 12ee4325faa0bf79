import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { NextPageLink } from '~/components/next-page-link';
import { PageHeader } from '~/components/page-header';
import { UtcDateTime } from '~/components/time';
import { listDevMail } from '~/domain/admin/list-dev-mail.server';
import { requirePermission } from '~/utils/auth.server';
import { pageTitle } from '~/utils/meta';

export const meta: MetaFunction = (args) => pageTitle(args, 'admin.mailbox.title');

const PageQuerySchema = z.object({ after: z.string().max(64).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requirePermission(request, context, 'admin.mailbox');
  const { db, mailer } = context.services;
  // With SMTP configured, mail goes out and nothing is kept to show.
  if (!mailer.keepsMailInDatabase) return { smtp: true, mails: [], nextAfter: null };
  const { after } = PageQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { smtp: false, ...(await listDevMail(db, user, { after })) };
}

export default function AdminMailboxPage() {
  const { smtp, mails, nextAfter } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <>
      <PageHeader title={t('admin.mailbox.title')} intro={t('admin.mailbox.intro')} />
      {smtp ? (
        <p className="notice">{t('admin.mailbox.smtpConfigured')}</p>
      ) : mails.length === 0 ? (
        <p className="panel empty-state">{t('admin.mailbox.none')}</p>
      ) : (
        mails.map((mail) => (
          <article key={mail.id} className="panel" aria-labelledby={`mail-${mail.id}`}>
            <h2 id={`mail-${mail.id}`}>{mail.subject}</h2>
            <dl className="details">
              <dt>{t('admin.mailbox.to')}</dt>
              <dd>{mail.to}</dd>
              <dt>{t('admin.mailbox.received')}</dt>
              <dd>
                <UtcDateTime value={mail.createdAt} />
              </dd>
            </dl>
            <div className="mail">
              <MailBody text={mail.body} />
            </div>
          </article>
        ))
      )}
      <NextPageLink after={nextAfter}>{t('common.actions.older')}</NextPageLink>
    </>
  );
}

// URL characters only (so a full-width "。" after a link stays text), and
// never ending in punctuation that closes the sentence.
const LINK = /(https?:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]*[A-Za-z0-9\-_~/#=&%])/g;

/** Plain text with its http(s) links made clickable, so verification links can be followed. */
function MailBody({ text }: { text: string }) {
  return (
    <>
      {text.split(LINK).map((part, index) =>
        // split() with a capturing group puts every match at an odd index.
        index % 2 === 1 ? (
          <a key={index} href={part}>
            {part}
          </a>
        ) : (
          part
        ),
      )}
    </>
  );
}
