import { anonymous, type Actor } from '../core/actor.js';
import type { Core } from '../core/core.js';

export type ConsoleStage = 'anonymous' | 'mfa' | 'setup' | 'full';

/**
 * Main's table of who is signed in on which window: the session token a window earned by signing
 * in (and how far the sign-in got), keyed by its webContents id. The token never goes to the
 * renderer, and no payload can name an actor: each call's actor is looked up here, and the core
 * checks the session's expiry and stage at each call. A closed window's entry is forgotten.
 */
export class ConsoleSessions {
  private readonly sessions = new Map<number, { token: string; stage: ConsoleStage }>();

  constructor(private readonly core: Core) {}

  actorFor(webContentsId: number): Actor {
    const session = this.sessions.get(webContentsId);
    return session === undefined ? anonymous({ kind: 'console' }) : this.core.actorForSession(session.token, { kind: 'console' });
  }

  tokenOf(webContentsId: number): string | undefined {
    return this.sessions.get(webContentsId)?.token;
  }

  stageOf(webContentsId: number): ConsoleStage {
    return this.sessions.get(webContentsId)?.stage ?? 'anonymous';
  }

  set(webContentsId: number, token: string, stage: ConsoleStage): void {
    this.sessions.set(webContentsId, { token, stage });
  }

  forget(webContentsId: number): void {
    this.sessions.delete(webContentsId);
  }
}
