import type { Submission, SubmissionResult } from '@conform-to/react';
import { isDomainError } from '../domain/errors.js';

/**
 * Turns a rule's refusal into the form's reply: on its field when it names
 * one, else on the form; the message is `<prefix>.<code>`. A refusal with
 * status 403 becomes a 403 response, and anything that is not a DomainError
 * is rethrown (a bug, not bad input).
 */
export function replyWithDomainError(
  submission: Submission<unknown>,
  error: unknown,
  messagePrefix: string,
): SubmissionResult<string[]> {
  if (!isDomainError(error)) throw error;
  if (error.status === 403) throw new Response('Forbidden', { status: 403 });
  const message = `${messagePrefix}.${error.code}`;
  return error.field
    ? submission.reply({ fieldErrors: { [error.field]: [message] } })
    : submission.reply({ formErrors: [message] });
}
