// Email domains that make a sign-up a member of an org. Client-safe, so the
// form and the use-case apply the same rule.

/**
 * Free mail providers: registering one would make anyone with such an
 * address a member of the org, so they are refused outright.
 */
const PUBLIC_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'yahoo.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sohu.com',
  'aliyun.com',
]);

// Labels of 1–63 letters, digits or inner hyphens; at least two labels; an
// alphabetic top-level label, as the org_domain CHECK constraint also demands.
const HOSTNAME = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** "  @Acme.COM. " → "acme.com"; an internationalised name becomes its xn-- form. */
export function normaliseOrgDomain(raw: string): string {
  let value = raw.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  if (/[^\x00-\x7f]/.test(value) && !/[\s/@:?#\\]/.test(value)) {
    try {
      value = new URL(`http://${value}`).hostname;
    } catch {
      // Left as typed; the check below refuses it.
    }
  }
  return value;
}

export type OrgDomainProblem = 'domain_invalid' | 'domain_public';

/** Why a normalised domain cannot be registered, or undefined when it can. */
export function orgDomainProblem(domain: string): OrgDomainProblem | undefined {
  if (!HOSTNAME.test(domain)) return 'domain_invalid';
  if (PUBLIC_MAIL_DOMAINS.has(domain)) return 'domain_public';
  return undefined;
}
