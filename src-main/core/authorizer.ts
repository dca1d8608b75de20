import type { Actor } from './actor.js';
import { ALL_PERMISSIONS, type Permission } from './permissions.js';

/** How far a user's sign-in has got: password done, awaiting 2FA; account set-up pending; done. */
export type SessionStage = 'mfa' | 'setup' | 'full';

/**
 * What an actor is, resolved afresh at every call so a revoked grant or an ended session stops
 * working on the very next one. Deny by default: anything unrecognised resolves to `nobody`.
 */
export type Principal =
  | { readonly kind: 'nobody'; readonly sessionEnded?: boolean }
  /** The local operator at the machine (CLI) or the system itself. */
  | { readonly kind: 'operator'; readonly permissions: ReadonlySet<Permission> }
  | {
      readonly kind: 'user';
      readonly userId: number;
      readonly sessionId: number;
      readonly stage: SessionStage;
      /** Empty until the stage is 'full'. */
      readonly permissions: ReadonlySet<Permission>;
      /** When the user last proved password (and 2FA), for acts that need a recent proof. */
      readonly authenticatedAt: number;
    }
  | { readonly kind: 'apikey'; readonly keyId: string; readonly permissions: ReadonlySet<Permission> };

export interface Authorizer {
  resolve(actor: Actor): Principal;
}

export const NOBODY: Principal = { kind: 'nobody' };
const OPERATOR: Principal = { kind: 'operator', permissions: ALL_PERMISSIONS };

export type PrincipalLookup = (actor: Extract<Actor, { kind: 'user' | 'apikey' }>) => Principal;

/**
 * The local operator (who can already read and write the database file) and the system hold every
 * permission. Users and API keys are resolved by `lookUp`, which the identity module supplies;
 * without one they are nobody.
 */
export function createAuthorizer(lookUp?: PrincipalLookup): Authorizer {
  return {
    resolve(actor) {
      switch (actor.kind) {
        case 'local':
        case 'system':
          return OPERATOR;
        case 'user':
        case 'apikey':
          return lookUp ? lookUp(actor) : NOBODY;
        default:
          return NOBODY;
      }
    },
  };
}

export function permissionsOf(principal: Principal): ReadonlySet<Permission> {
  return principal.kind === 'nobody' ? new Set() : principal.permissions;
}
