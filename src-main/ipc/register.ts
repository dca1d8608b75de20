import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../../src-preload/contract/channels.js';
import { HANDLERS } from './handlers.js';
import { dispatch, type IpcContext, type IpcSender } from './router.js';

/**
 * Origin of the sending frame as scheme://host. (WHATWG URL gives custom schemes such as app://
 * an opaque "null" origin, so it is built from the parts; an unparsable URL yields "null", refused.)
 */
function originOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return 'null';
  }
}

function senderOf(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    origin: frame ? originOf(frame.url) : 'null',
    isMainFrame: frame !== null && frame === event.sender.mainFrame,
  };
}

/** The only place that touches ipcMain: one handler per contract channel, all through dispatch(). */
export function registerIpc(ctx: IpcContext): () => void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, (event, input: unknown) => dispatch(ctx, HANDLERS, channel, senderOf(event), input));
  }
  return () => CHANNEL_NAMES.forEach((channel) => ipcMain.removeHandler(channel));
}
