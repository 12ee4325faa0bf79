import { useTranslation } from 'react-i18next';

/** The link of an invite just made, shown this once: only its hash is stored. */
export function InviteCreatedNotice({ link, mailSent }: { link: string; mailSent: boolean }) {
  const { t } = useTranslation();
  return (
    <section className="notice stack" role="status" aria-labelledby="invite-created-heading">
      <h2 id="invite-created-heading">{t('admin.invites.createdTitle')}</h2>
      <p>{mailSent ? t('admin.invites.createdBody') : t('admin.invites.mailFailed')}</p>
      <div className="field">
        <label htmlFor="invite-link">{t('admin.invites.link')}</label>
        <input id="invite-link" type="text" readOnly value={link} />
      </div>
      <p className="small">{t('admin.invites.linkOnce')}</p>
    </section>
  );
}
