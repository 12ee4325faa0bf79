import nodemailer from 'nodemailer';
import type { Db } from '../../db/client.js';
import { randomId } from './crypto.server.js';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  /** Extra headers such as List-Unsubscribe; SMTP only (the dev mailbox keeps none). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** True when mails are kept in the database for the dev mailbox page. */
  readonly keepsMailInDatabase: boolean;
  send(mail: OutgoingMail): Promise<void>;
  /**
   * Sends without making the request wait, so that how long a response takes
   * never tells whether a mail went out (no account enumeration by timing).
   */
  sendInBackground(mail: OutgoingMail): void;
  /**
   * Sends and says whether it worked, for callers that can offer another way
   * (an invite link shown on screen). Failures are reported, never thrown.
   */
  trySend(mail: OutgoingMail): Promise<boolean>;
  /** Resolves once every background send has finished (shutdown, tests). */
  drain(): Promise<void>;
}

/**
 * SMTP through nodemailer when SMTP_URL is set; otherwise mails are kept in
 * the dev_mail table and shown to admins at /admin/mailbox, so links can be
 * followed in the embedded mode.
 */
export function createMailer(options: {
  smtpUrl?: string;
  from: string;
  db: Db;
  /** Told about mail that could not be sent in the background or by trySend. */
  onError: (error: Error) => void;
}): Mailer {
  const send: Mailer['send'] = options.smtpUrl
    ? smtpSender(options.smtpUrl, options.from)
    : async (mail) => {
        await options.db
          .insertInto('dev_mail')
          .values({ id: randomId(), to_address: mail.to, subject: mail.subject, text_body: mail.text })
          .execute();
      };
  const inFlight = new Set<Promise<void>>();
  return {
    keepsMailInDatabase: !options.smtpUrl,
    send,
    sendInBackground(mail) {
      const sending = send(mail)
        .catch(options.onError)
        .finally(() => inFlight.delete(sending));
      inFlight.add(sending);
    },
    async trySend(mail) {
      try {
        await send(mail);
        return true;
      } catch (error) {
        options.onError(error as Error);
        return false;
      }
    },
    async drain() {
      await Promise.all(inFlight);
    },
  };
}

function smtpSender(smtpUrl: string, from: string): Mailer['send'] {
  const transport = nodemailer.createTransport(smtpUrl);
  return async (mail) => {
    await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, headers: mail.headers });
  };
}
