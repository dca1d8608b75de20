import { isIP } from 'node:net';
import { z } from 'zod';
import { int } from '../core/schemas.js';

/** Option schemas shared by commands. */

/** The --data-dir option every store command takes, and its help line. */
export const dataDirFlag = { 'data-dir': { type: 'string' } } as const;
export const dataDirUsage = '--data-dir D      data folder (default: $CAIRN_DATA_DIR or the per-user app-data folder)';
export const dataDirOption = z
  .string()
  .min(1, 'must not be empty')
  .max(4096, 'is too long')
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .optional();

const HOSTNAME = /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;

export const hostOption = z
  .string()
  .refine((h) => isIP(h) !== 0 || HOSTNAME.test(h), 'must be an IP address or a host name');

export const portOption = int(0, 65535);
