import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { StoredAuditEntry } from '../db/audit.js';

/**
 * The audit log's hash chain. Each entry stores
 *
 *   hash_i = SHA-256(hash_{i-1} ‖ canonical(entry_i))      (hash_0 = 32 zero bytes)
 *   mac_i  = HMAC-SHA256(k, hash_i)                         (k: the `audit-chain` key in the OS keychain)
 *
 * An edit, deletion, insertion or reordering breaks the chain at that entry; recomputing the chain
 * to hide it changes every later hash, whose MACs cannot be recomputed without k. Truncating the
 * tail is caught by the anchor: the last verified (id, hash), kept in the keychain too.
 */

const GENESIS = Buffer.alloc(32);

/** The entry's fields in a fixed order, as the text that is hashed (details as stored). */
export const canonicalEntry = (e: StoredAuditEntry): string =>
  JSON.stringify([e.at, e.actorKind, e.actorId, e.client, e.action, e.targetType, e.targetId, e.outcome, e.details]);

export const chainHash = (previous: Buffer | undefined, entry: StoredAuditEntry): Buffer =>
  createHash('sha256').update(previous ?? GENESIS).update(canonicalEntry(entry), 'utf8').digest();

export const chainMac = (key: Buffer, hash: Buffer): Buffer => createHmac('sha256', key).update(hash).digest();

/** What a pruning checkpoint seals: the last removed entry's id and chain hash. */
export const checkpointMac = (key: Buffer, prunedUpTo: number, headHash: Buffer): Buffer =>
  createHmac('sha256', key).update(`checkpoint:${prunedUpTo}:`).update(headHash).digest();

/** Where the remaining chain starts after entries were pruned. */
export interface Checkpoint {
  readonly prunedUpTo: number;
  readonly headHash: Buffer;
  readonly mac: Buffer;
}

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

export interface ChainEntry extends StoredAuditEntry {
  readonly id: number;
  readonly hash: Buffer | null;
  readonly mac: Buffer | null;
}

/** The last verified head, kept outside the database so a truncated log is noticed. */
export interface AuditAnchor {
  readonly id: number;
  readonly hash: string;
}

export interface ChainReport {
  /** True when every entry is chained and sealed and the anchor is present. */
  readonly intact: boolean;
  readonly entries: number;
  /** Entries from before the chain existed (written by an older Cairn), at the very start only. */
  readonly legacy: number;
  readonly sealed: number;
  /** The first problem, naming the entry: what a reviewer looks at first. */
  readonly problem: { readonly id: number; readonly reason: string } | null;
  /** The newest entry, for the next anchor. */
  readonly head: AuditAnchor | null;
}

/**
 * Walks the chain in id order and reports the first entry that does not hold. `key` checks the
 * MACs; `anchor` the last head verified before (absent on a first verification).
 */
export function verifyChain(entries: Iterable<ChainEntry>, key: Buffer, anchor: AuditAnchor | null, checkpoint?: Checkpoint): ChainReport {
  let previous: Buffer | undefined = checkpoint?.headHash;
  let count = 0;
  let legacy = 0;
  let sealed = 0;
  let head: AuditAnchor | null = null;
  let problem: ChainReport['problem'] = null;
  let anchorSeen = anchor === null;
  if (checkpoint) {
    if (!same(checkpointMac(key, checkpoint.prunedUpTo, checkpoint.headHash), checkpoint.mac)) {
      problem = { id: checkpoint.prunedUpTo, reason: 'is the pruning checkpoint, and its seal does not match' };
    }
    if (anchor && anchor.id <= checkpoint.prunedUpTo) {
      anchorSeen = true; // verified before, pruned since: only the checkpoint's own entry can still be compared
      if (anchor.id === checkpoint.prunedUpTo && anchor.hash !== checkpoint.headHash.toString('hex')) problem ??= { id: anchor.id, reason: 'differs from the copy verified before' };
    }
  }
  for (const e of entries) {
    count++;
    if (e.hash === null) {
      if (previous === undefined && sealed === 0 && !checkpoint) {
        legacy++;
        continue;
      }
      problem ??= { id: e.id, reason: 'has no chain hash: it was inserted behind the application' };
      continue;
    }
    const expected = chainHash(previous, e);
    if (!same(expected, e.hash)) {
      problem ??= { id: e.id, reason: 'does not follow from the entry before it: it, or an entry before it, was changed, removed or inserted' };
    }
    if (e.mac === null) problem ??= { id: e.id, reason: 'is not sealed: written while the keychain was unavailable, or its seal was removed' };
    else if (!same(chainMac(key, e.hash), e.mac)) problem ??= { id: e.id, reason: 'has a seal that does not match: the chain was rewritten' };
    else sealed++;
    if (anchor && e.id === anchor.id) {
      anchorSeen = true;
      if (e.hash.toString('hex') !== anchor.hash) problem ??= { id: e.id, reason: 'differs from the copy verified before' };
    }
    previous = e.hash;
    head = { id: e.id, hash: e.hash.toString('hex') };
  }
  if (!anchorSeen) problem ??= { id: anchor!.id, reason: 'is missing, though it was verified before: the log was truncated' };
  return { intact: problem === null, entries: count, legacy, sealed, problem, head };
}
