// Pure and client-safe: finds what in a draft could tell readers who wrote it.
// It warns, never blocks (DESIGN.md, Pseudonymity); false positives are cheap.

export const IDENTIFYING_KINDS = ['email', 'phone', 'ip', 'org', 'ticket', 'site'] as const;
export type IdentifyingKind = (typeof IDENTIFYING_KINDS)[number];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d.]*\d)/g;
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4})(?![0-9A-Fa-f:])|(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:)+:(?:[0-9A-Fa-f]{1,4}:)*[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])/g;
// Ticket and case numbers: INC0012345, CASE-1234, SR#12345, CHG001234, 工单号 123456.
const TICKET =
  /(?<![A-Za-z0-9])(?:INC|CASE|CS|SR|TKT|TICKET|REQ|RITM|CHG|PRB|BUG|JIRA)[-_# ]?\d{3,}(?![A-Za-z0-9])|(?:工单|案例|案件|单号|问题单|故障单)\s*(?:号|编号)?\s*[:：#]?\s*[A-Za-z]*\d{4,}/gi;
// Site codes: three or four capitals and digits (SHA01, BJS-0231, NYC123).
const SITE = /(?<![A-Za-z0-9])[A-Z]{3,4}-?\d{2,6}(?![A-Za-z0-9])/g;
// Phone numbers: 7–15 digits with the usual separators, or a Chinese mobile number.
const PHONE = /(?<![A-Za-z0-9])\+?\d[\d\s().-]{5,18}\d(?![A-Za-z0-9])/g;

interface Span {
  start: number;
  end: number;
}

function spans(text: string, pattern: RegExp): Span[] {
  return [...text.matchAll(pattern)].map((match) => ({ start: match.index, end: match.index + match[0].length }));
}

function overlaps(span: Span, taken: Span[]): boolean {
  return taken.some((other) => span.start < other.end && other.start < span.end);
}

function digitCount(value: string): number {
  return value.replace(/\D/g, '').length;
}

const DATE = /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$/;
const CHINESE_MOBILE = /^1[3-9]\d{9}$/;

/**
 * A bare run of digits is usually a count ("1000000 users"), so without a
 * leading + or separators only a Chinese mobile number counts; dates never.
 */
function looksLikePhone(candidate: string): boolean {
  const digits = digitCount(candidate);
  if (digits < 7 || digits > 15 || DATE.test(candidate)) return false;
  if (/^\d+$/.test(candidate)) return CHINESE_MOBILE.test(candidate);
  return true;
}

/** Lower-cased, with full-width forms folded, so "ＡＣＭＥ" finds "Acme". */
function fold(value: string): string {
  return value.normalize('NFKC').toLowerCase();
}

/**
 * The kinds of identifying text found in `text`, in a fixed order. `orgTerms`
 * are the member's own org's name (and anything else that names it); each
 * is matched case-insensitively anywhere, which works for Chinese as well.
 */
export function detectIdentifyingText(text: string, orgTerms: readonly string[] = []): IdentifyingKind[] {
  const found = new Set<IdentifyingKind>();
  const taken: Span[] = [];
  const claim = (kind: IdentifyingKind, found_: Span[]) => {
    const fresh = found_.filter((span) => !overlaps(span, taken));
    if (fresh.length) found.add(kind);
    taken.push(...fresh);
  };

  claim('email', spans(text, EMAIL));
  claim('ip', [...spans(text, IPV4), ...spans(text, IPV6).filter((span) => text.slice(span.start, span.end).split(':').length >= 3)]);
  claim('ticket', spans(text, TICKET));
  claim('site', spans(text, SITE));
  claim(
    'phone',
    spans(text, PHONE).filter((span) => looksLikePhone(text.slice(span.start, span.end).trim())),
  );

  const folded = fold(text);
  for (const term of orgTerms) {
    const needle = fold(term.trim());
    if (needle.length >= 2 && folded.includes(needle)) {
      found.add('org');
      break;
    }
  }
  return IDENTIFYING_KINDS.filter((kind) => found.has(kind));
}
