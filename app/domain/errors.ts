/**
 * A rule said no. `code` is stable and mapped to a translated message by the
 * route; `field` names the form field it belongs to, when there is one.
 */
export class DomainError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    readonly field?: string,
    readonly status = 400,
  ) {
    super(code);
    this.name = 'DomainError';
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
