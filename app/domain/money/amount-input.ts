// Amounts as people type them in forms ("2,000,000.00"), checked against the
// currency's decimals. Client-safe: the same checks run in the browser and in
// the action. Messages are translation keys.
import { z } from 'zod';
import { minorDigits, type ParseAmountError, parseAmount } from './money.js';

export const AMOUNT_TEXT_MAX_LENGTH = 40;

/** The typed text; whether it is an amount depends on the currency, checked with refineAmount. */
export const AmountTextSchema = z
  .string({ error: 'common.errors.required' })
  .trim()
  .min(1, { error: 'common.errors.required' })
  .max(AMOUNT_TEXT_MAX_LENGTH, { error: 'finance.errors.amount_invalid' });

/** The message key for text that is not an amount in `currency`. */
export function amountErrorMessage(error: ParseAmountError | 'amount_zero', currency: string): string {
  if (error === 'amount_too_precise') {
    return `finance.errors.amount_too_precise?${new URLSearchParams({ currency, digits: String(minorDigits(currency)) })}`;
  }
  return `finance.errors.${error}`;
}

/**
 * Parses an amount inside a zod refinement: a positive amount in minor units,
 * or an issue on `path` and null.
 */
export function refineAmount(ctx: z.RefinementCtx, text: string, currency: string, path: string): bigint | null {
  const parsed = parseAmount(text, currency);
  const error = !parsed.ok ? parsed.error : parsed.minor === 0n ? 'amount_zero' : null;
  if (error) {
    ctx.addIssue({ code: 'custom', path: [path], message: amountErrorMessage(error, currency) });
    return null;
  }
  return parsed.ok ? parsed.minor : null;
}

/** ISO 4217 codes the platform can format; any three letters are not enough. */
export function isKnownCurrency(code: string): boolean {
  return Intl.supportedValuesOf('currency').includes(code);
}
