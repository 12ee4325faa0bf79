import type { PostStatus } from '../../../db/schema.js';
import { DomainError } from '../errors.js';

/**
 * A triage change refused for one post, naming that post (and the status move,
 * when there is one), so that a bulk action can say which post blocks the
 * whole selection and a message can name the statuses from and to.
 */
export class TriageRefusal<Code extends string = string> extends DomainError<Code> {
  constructor(
    code: Code,
    readonly post: { id: string; title: string },
    readonly move: { from: PostStatus; to: PostStatus } | null,
    field?: string,
    status = 400,
  ) {
    super(code, field, status);
    this.name = 'TriageRefusal';
  }
}
