// The payout details form, as the claim page and the org page show it.
// Client-safe (the browser validates with it too) and a mirror of
// PayoutDetailsSchema in payouts/payout-details.server.ts, which re-parses
// on save; test/member-rewards.test.ts holds the two to the same verdicts.
// Messages here are translation keys.
import { z } from 'zod';

const required = { error: 'common.errors.required' };

export const PayoutDetailsFormSchema = z.object({
  accountHolder: z.string(required).trim().min(1, required).max(140, { error: 'common.errors.tooLong?max=140' }),
  accountNumber: z
    .string(required)
    .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{6,34}$/, { error: 'rewards.payout.errors.account_number_invalid' })),
  bankName: z.string(required).trim().min(1, required).max(140, { error: 'common.errors.tooLong?max=140' }),
  bic: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z0-9]{8}|[A-Z0-9]{11})$/, { error: 'rewards.payout.errors.bic_invalid' })
    .optional(),
});

/** Never sent back to the page after a refused submission: the account number is not echoed. */
export const PAYOUT_SECRET_FIELDS = ['accountNumber'];
