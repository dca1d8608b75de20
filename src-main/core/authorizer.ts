import type { Actor } from './actor.js';
import { ALL_PERMISSIONS, type Permission } from './permissions.js';

/**
 * Answers what an actor may do, asked afresh at every call so a revoked grant stops working on
 * the very next one. Deny by default: anything this does not recognise gets no permission.
 */
export interface Authorizer {
  permissionsOf(actor: Actor): ReadonlySet<Permission>;
}

const NONE: ReadonlySet<Permission> = new Set();

/**
 * Resolves the principals the foundation knows: the local operator at the machine (the CLI, who
 * can already read and write the database file) and the system itself hold every permission.
 * Users and API keys are resolved by `lookUp`, which the identity module supplies; without one
 * they hold nothing.
 */
export function createAuthorizer(lookUp?: (actor: Extract<Actor, { kind: 'user' | 'apikey' }>) => ReadonlySet<Permission>): Authorizer {
  return {
    permissionsOf(actor) {
      switch (actor.kind) {
        case 'local':
        case 'system':
          return ALL_PERMISSIONS;
        case 'user':
        case 'apikey':
          return lookUp ? lookUp(actor) : NONE;
        default:
          return NONE;
      }
    },
  };
}
