import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

// OWASP's minimum for argon2id: 19 MiB, 2 iterations, parallelism 1.
const ARGON2ID = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'guessable';

let zxcvbn: ZxcvbnFactory | undefined;
function strengthChecker(): ZxcvbnFactory {
  // The bundled list of common passwords (zxcvbn-ts' "passwords-common"),
  // loaded on first use: it is large and most processes never need it.
  zxcvbn ??= new ZxcvbnFactory({ dictionary: common.dictionary, graphs: common.adjacencyGraphs });
  return zxcvbn;
}

/** What is weak about a password, or undefined when it is acceptable. */
export function passwordProblem(password: string, context: string[] = []): PasswordProblem | undefined {
  if (password.length < PASSWORD_MIN) return 'too_short';
  if (password.length > PASSWORD_MAX) return 'too_long';
  const result = strengthChecker().check(password, context);
  const whole = result.sequence.length === 1 ? result.sequence[0] : undefined;
  if (whole?.pattern === 'dictionary' && whole.dictionaryName === 'passwords-common') return 'common';
  if (result.score < 2) return 'guessable';
  return undefined;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2ID);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verified against when no account matches, so an unknown email costs the same
// time as a wrong password (no account enumeration by timing).
let decoyHash: Promise<string> | undefined;
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hash('decoy-password-that-never-matches', ARGON2ID);
  await verify(await decoyHash, password).catch(() => false);
  return false;
}
