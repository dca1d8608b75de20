import { z } from 'zod';
import type { Requirement } from '../../src-main/core/permissions.js';
import type { ChannelName } from './channels.js';

/**
 * THE IPC contract: for each channel its input and output schema and the permission it needs.
 * Main validates both directions with these; the renderer uses them for form validation only.
 */
export interface ChannelSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly requires: Requirement;
}

export const CONTRACT = {
  'app.info': {
    input: z.strictObject({}),
    output: z.strictObject({ name: z.string(), version: z.string(), mode: z.enum(['production', 'development']) }),
    requires: 'public',
  },
} as const satisfies Record<ChannelName, ChannelSpec>;

export type Contract = typeof CONTRACT;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

/** What every invoke resolves to: never a thrown error, never a stack trace. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; field?: string } };
