/**
 * Money is an integer count of minor units (fen, cents) plus an ISO 4217
 * currency; never a float. These helpers convert at the edges only: parsing
 * what a person typed, and formatting for display.
 */

/** Minor-unit digits of a currency (CNY 2, JPY 0, BHD 3), from the platform's ICU data. */
export function minorDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

export type ParseAmountError = 'amount_invalid' | 'amount_too_precise' | 'amount_too_large';

const MAX_MINOR = 10n ** 15n;

/**
 * "2,000,000.00" → 200000000n for CNY. Accepts thousands separators (",", " ",
 * "，"), a decimal point, full-width digits; refuses negatives, exponents and
 * more decimals than the currency has.
 */
export function parseAmount(input: string, currency: string): { ok: true; minor: bigint } | { ok: false; error: ParseAmountError } {
  const normalised = input
    .trim()
    .replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0))
    .replace(/[．。]/g, '.')
    .replace(/[,\s，_']/g, '');
  const match = /^(\d+)(?:\.(\d*))?$/.exec(normalised);
  if (!match) return { ok: false, error: 'amount_invalid' };
  const digits = minorDigits(currency);
  const [, whole = '0', fraction = ''] = match;
  const trimmedFraction = fraction.replace(/0+$/, '');
  if (trimmedFraction.length > digits) return { ok: false, error: 'amount_too_precise' };
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(trimmedFraction.padEnd(digits, '0') || '0');
  if (minor > MAX_MINOR) return { ok: false, error: 'amount_too_large' };
  return { ok: true, minor };
}

/** 200000000n, 'CNY', 'zh-CN' → "¥2,000,000.00": exact for any size (formatted from a decimal string, no float). */
export function formatMoney(minor: bigint | string, currency: string, locale = 'en'): string {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minorToDecimal(minor, currency) as Intl.StringNumericLiteral);
}

/** 200000000n, 'CNY' → "2000000.00": for exports and form values. */
export function minorToDecimal(minor: bigint | string, currency: string): string {
  const value = BigInt(minor);
  const digits = minorDigits(currency);
  const absolute = value < 0n ? -value : value;
  const scale = 10n ** BigInt(digits);
  const whole = (absolute / scale).toString();
  const fraction = digits > 0 ? `.${(absolute % scale).toString().padStart(digits, '0')}` : '';
  return `${value < 0n ? '-' : ''}${whole}${fraction}`;
}
