/**
 * Who is calling. Every door builds one before it calls the core: the console from its session,
 * the API from the key it was given, the CLI as the local operator. The actor says who; what it
 * may do is looked up by the Authorizer at each call, never carried along (no stale grants).
 */
export type Client =
  | { kind: 'console' }
  | { kind: 'api'; ip: string }
  | { kind: 'cli' }
  | { kind: 'web'; ip: string }
  | { kind: 'internal' };

export type Actor =
  /** A signed-in user; `sessionId` names the server-side session checked (expiry, stage) at each call. */
  | { kind: 'user'; userId: number; sessionId: number; client: Client }
  | { kind: 'apikey'; keyId: string; client: Client }
  | { kind: 'local'; client: Client }
  | { kind: 'system'; client: Client }
  | { kind: 'anonymous'; client: Client };

export const localOperator: Actor = { kind: 'local', client: { kind: 'cli' } };
export const systemActor: Actor = { kind: 'system', client: { kind: 'internal' } };
export const anonymous = (client: Client): Actor => ({ kind: 'anonymous', client });

export function describeActor(actor: Actor): { kind: Actor['kind']; id: string | null } {
  switch (actor.kind) {
    case 'user':
      return { kind: 'user', id: String(actor.userId) };
    case 'apikey':
      return { kind: 'apikey', id: actor.keyId };
    default:
      return { kind: actor.kind, id: null };
  }
}

export function describeClient(client: Client): string {
  return 'ip' in client ? `${client.kind} ${client.ip}` : client.kind;
}
