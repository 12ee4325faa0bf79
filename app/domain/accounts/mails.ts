import type { OutgoingMail } from '../../utils/mail.server.js';

type Locale = 'en' | 'zh-CN';

// Subjects name neither the vendor nor the topic: work mailboxes are read by
// others (DESIGN.md, pseudonymity).
const TEXT = {
  en: {
    verifySubject: 'Confirm your email address',
    verifyBody: (link: string) =>
      `Please confirm your email address by opening this link within 48 hours:\n\n${link}\n\nIf you did not ask for this, ignore this mail.`,
    alreadySubject: 'About your sign-up',
    alreadyBody: (link: string) =>
      `Someone tried to sign up with this email address, but it already has an account.\n\nIf it was you, log in or reset your password here:\n\n${link}\n\nIf not, you can ignore this mail.`,
    resetSubject: 'Reset your password',
    resetBody: (link: string) =>
      `Open this link within one hour to choose a new password:\n\n${link}\n\nIf you did not ask for this, ignore this mail; your password stays as it is.`,
    inviteSubject: 'You are invited',
    inviteBody: (link: string, days: number) =>
      `You have been invited to join a feedback portal. Sign up with this link within ${days} days:\n\n${link}`,
  },
  'zh-CN': {
    verifySubject: '请确认您的邮箱地址',
    verifyBody: (link: string) => `请在 48 小时内打开以下链接确认您的邮箱地址：\n\n${link}\n\n如果这不是您本人的操作，请忽略此邮件。`,
    alreadySubject: '关于您的注册',
    alreadyBody: (link: string) =>
      `有人尝试用此邮箱地址注册，但该地址已有账户。\n\n如果是您本人，请在此登录或重置密码：\n\n${link}\n\n如果不是，请忽略此邮件。`,
    resetSubject: '重置您的密码',
    resetBody: (link: string) => `请在一小时内打开以下链接设置新密码：\n\n${link}\n\n如果这不是您本人的操作，请忽略此邮件，您的密码不会改变。`,
    inviteSubject: '您收到一份邀请',
    inviteBody: (link: string, days: number) => `您受邀加入一个反馈门户。请在 ${days} 天内通过以下链接注册：\n\n${link}`,
  },
} as const;

export const accountMail = {
  verify: (to: string, locale: Locale, link: string): OutgoingMail => ({
    to,
    subject: TEXT[locale].verifySubject,
    text: TEXT[locale].verifyBody(link),
  }),
  alreadyRegistered: (to: string, locale: Locale, publicUrl: string): OutgoingMail => ({
    to,
    subject: TEXT[locale].alreadySubject,
    text: TEXT[locale].alreadyBody(`${publicUrl}/forgot-password`),
  }),
  reset: (to: string, locale: Locale, link: string): OutgoingMail => ({
    to,
    subject: TEXT[locale].resetSubject,
    text: TEXT[locale].resetBody(link),
  }),
  invite: (to: string, locale: Locale, link: string, days: number): OutgoingMail => ({
    to,
    subject: TEXT[locale].inviteSubject,
    text: TEXT[locale].inviteBody(link, days),
  }),
};
