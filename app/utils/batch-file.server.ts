import type { LoaderFunctionArgs } from '@remix-run/node';
import { isDomainError } from '../domain/errors.js';
import { type BatchFileFormat, buildBatchFile } from '../domain/payouts/batches.server.js';
import { requirePermission } from './auth.server.js';
import { getT } from './i18n.js';
import { getLocale } from './locale.server.js';

/**
 * The download of a batch's bank file (the .csv and .xml resource routes):
 * finance admins only; the payee details it holds come from the vault, each
 * read audited. A refusal is a plain-text message in the reader's language.
 */
export async function batchFileResponse({ request, context, params }: LoaderFunctionArgs, format: BatchFileFormat): Promise<Response> {
  const user = await requirePermission(request, context, 'finance.admin');
  const { db, vaultKeys, env } = context.services;
  try {
    const file = await buildBatchFile(db, vaultKeys, user, {
      batchId: params.batchId ?? '',
      format,
      debtor: { name: env.PAYOUT_DEBTOR_NAME, account: env.PAYOUT_DEBTOR_ACCOUNT, bic: env.PAYOUT_DEBTOR_BIC },
      initiatingPartyName: senderName(env.MAIL_FROM) ?? env.PAYOUT_DEBTOR_NAME ?? 'Candor',
    });
    return new Response(file.body, {
      headers: {
        'Content-Type': file.contentType,
        'Content-Disposition': `attachment; filename="${file.filename}"`,
        // Payee details: never kept by a browser or proxy cache.
        'Cache-Control': 'private, no-store',
      },
    });
  } catch (error) {
    if (!isDomainError(error) || error.status === 403) throw error;
    const t = getT(await getLocale(request, context));
    return new Response(`${t(`payments.errors.${error.code}`)}\n`, {
      status: error.status,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'private, no-store' },
    });
  }
}

/** "Candor <no-reply@…>" → "Candor": the initiating party named in pain.001. */
function senderName(mailFrom: string): string | undefined {
  const name = /^\s*"?([^"<]+?)"?\s*</.exec(mailFrom)?.[1]?.trim();
  return name || undefined;
}
