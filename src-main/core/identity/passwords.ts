import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type * as CommonLanguage from '@zxcvbn-ts/language-common';
import type * as EnglishLanguage from '@zxcvbn-ts/language-en';
import { CairnError } from '../errors.js';

/**
 * Passwords per NIST SP 800-63B and ASVS 5 V6: length limits, no composition rules, a blocklist
 * of passwords known from breaches, no context words (e-mail, name, site), and an estimate of
 * strength the user sees. Stored as argon2id.
 */

// OWASP's argon2id baseline (m = 19 MiB, t = 2, p = 1). Algorithm 2 is Argon2id in @node-rs/argon2.
const ARGON2 = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Longest password accepted at all (it is hashed, so only bounded to keep hashing cheap). */
export const PASSWORD_INPUT_LIMIT = 1024;

/** NFKC so the same password typed on another keyboard or OS hashes the same (800-63B 5.1.1.2). */
const normalize = (password: string): string => password.normalize('NFKC');

export const hashPassword = (password: string): Promise<string> => hash(normalize(password), ARGON2);

/** A hash of a random password, verified against when no account matches so timing reveals nothing. */
let dummyHash: Promise<string> | undefined;

/**
 * Whether `password` matches `storedHash`. With no stored hash (unknown account) it still spends
 * one verification on a dummy hash and returns false.
 */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword(`dummy ${Math.random()}`);
  const target = storedHash ?? (await dummyHash);
  const ok = await verify(target, normalize(password)).catch(() => false);
  return storedHash !== undefined && ok;
}

export interface PasswordPolicy {
  readonly minLength: number;
  readonly maxLength: number;
}

export interface PasswordContext {
  readonly email: string;
  readonly name: string;
  readonly siteName: string;
}

export interface PasswordStrength {
  /** zxcvbn's 0 (too guessable) … 4 (very unguessable). */
  readonly score: number;
  readonly warning: string | null;
  readonly suggestions: readonly string[];
}

/** zxcvbn with the common-password and English dictionaries; built on first use (~0.3 s). */
let estimator: ZxcvbnFactory | undefined;
let breached: ReadonlySet<string> | undefined;

/**
 * The dictionaries are ~50 MB in memory: loaded when a password is first set or checked, never by
 * a process that only serves the status page and the API (both packages ship CommonJS builds).
 */
let dictionaries: { common: typeof CommonLanguage; english: typeof EnglishLanguage } | undefined;
function languages() {
  const load = createRequire(import.meta.url);
  dictionaries ??= { common: load('@zxcvbn-ts/language-common') as typeof CommonLanguage, english: load('@zxcvbn-ts/language-en') as typeof EnglishLanguage };
  return dictionaries;
}

function loadEstimator(): ZxcvbnFactory {
  const { common, english } = languages();
  estimator ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return estimator;
}

/** The ~49,000 most common passwords from public breach corpora, shipped as data by zxcvbn-ts. */
export function breachedPasswords(): ReadonlySet<string> {
  breached ??= new Set(languages().common.dictionary['passwords-common'].map((p) => String(p).toLowerCase()));
  return breached;
}

const fail = (field: string, message: string): CairnError => new CairnError('invalid_input', `${field}: ${message}`, field);

const ESTIMATE_LIMIT = 32;

/** Context words at least this long are refused inside a password; shorter ones match by chance. */
const MIN_CONTEXT_WORD = 3;

function contextWords(ctx: PasswordContext): string[] {
  const local = ctx.email.split('@')[0] ?? '';
  const words = [ctx.email, local, ...local.split(/[._+-]+/), ...ctx.name.split(/\s+/), ctx.siteName, ...ctx.siteName.split(/\s+/)];
  return [...new Set(words.map((w) => w.toLowerCase().normalize('NFKC')).filter((w) => [...w].length >= MIN_CONTEXT_WORD))];
}

/**
 * Refuses a password the policy does not allow (invalid_input naming `field`) and returns its
 * strength otherwise. Order: length, blocklist, context, then the strength estimate.
 */
export function checkPassword(password: string, policy: PasswordPolicy, ctx: PasswordContext, field = 'password'): PasswordStrength {
  const normalized = normalize(password);
  const length = [...normalized].length;
  if (length < policy.minLength) throw fail(field, `must be at least ${policy.minLength} characters`);
  if (length > policy.maxLength) throw fail(field, `must be at most ${policy.maxLength} characters`);
  const lower = normalized.toLowerCase();
  // "Summer2024!" is "summer" to an attacker's wordlist rules: strip digits and symbols at the ends.
  const core = lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, '');
  const list = breachedPasswords();
  if (list.has(lower) || (core.length >= 4 && list.has(core))) {
    throw fail(field, 'is in a list of passwords known from data breaches; choose another');
  }
  for (const word of contextWords(ctx)) {
    if (lower.includes(word)) throw fail(field, 'must not contain your e-mail address, your name or the site name');
  }
  // zxcvbn's matching grows faster than linearly (256 repetitive characters take ~2 s, 64 still
  // ~0.4 s); the estimate is made on the first 32 characters (≤ ~0.1 s), which is where a
  // guessable password shows itself.
  const result = loadEstimator().check([...normalized].slice(0, ESTIMATE_LIMIT).join(''), contextWords(ctx));
  const strength = { score: result.score, warning: result.feedback.warning, suggestions: result.feedback.suggestions };
  if (result.score < 2) {
    throw fail(field, `is too easy to guess${strength.warning ? ` (${strength.warning.replace(/\.$/, '')})` : ''}; ${strength.suggestions[0] ?? 'use a longer passphrase'}`);
  }
  return strength;
}
