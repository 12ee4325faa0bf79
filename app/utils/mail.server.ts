import nodemailer from 'nodemailer';
import type { Db } from '../../db/client.js';
import { randomId } from './crypto.server.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** True when mails are kept in the database for the dev mailbox page. */
  readonly keepsMailInDatabase: boolean;
  send(mail: OutgoingMail): Promise<void>;
}

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise mails are kept in
 * the dev_mail table and shown to admins at /admin/mailbox, so links can be
 * followed in the embedded mode.
 */
export function createMailer(options: { smtpUrl?: string; from: string; db: Db }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      keepsMailInDatabase: false,
      async send(mail) {
        await transport.sendMail({ from: options.from, to: mail.to, subject: mail.subject, text: mail.text });
      },
    };
  }
  return {
    keepsMailInDatabase: true,
    async send(mail) {
      await options.db
        .insertInto('dev_mail')
        .values({ id: randomId(), to_address: mail.to, subject: mail.subject, text_body: mail.text })
        .execute();
    },
  };
}
