import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld(
  'cairn',
  createBridge({
    invoke: (channel, input) => ipcRenderer.invoke(channel, input),
    subscribe(event, listener) {
      const wrapped = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(event, wrapped);
      return () => ipcRenderer.removeListener(event, wrapped); // the same function that was added
    },
  }),
);
