import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../src-preload/contract/channels.js';
import { HANDLERS } from './handlers.js';
import { dispatch, type IpcContext, type IpcSender } from './router.js';

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  let origin = 'null';
  try {
    origin = frame ? new URL(frame.url).origin : 'null';
  } catch {
    origin = 'null';
  }
  // Custom schemes have an opaque origin in WHATWG URL; compare scheme + host instead.
  if (origin === 'null' && frame) {
    try {
      const u = new URL(frame.url);
      origin = `${u.protocol}//${u.host}`;
    } catch {
      /* stays "null" and is refused */
    }
  }
  return { webContentsId: event.sender.id, origin, isMainFrame: frame !== null && frame === event.sender.mainFrame };
}

/** The only place that touches ipcMain: one handler per contract channel, all through dispatch(). */
export function registerIpc(ctx: IpcContext): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, input: unknown) => dispatch(ctx, HANDLERS, channel, senderOf(event), input));
  }
  return () => CHANNEL_NAMES.forEach((channel) => ipcMain.removeHandler(channel));
}
