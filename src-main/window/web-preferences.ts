import type { WebPreferences } from 'electron';

/**
 * The renderer's web preferences, each set explicitly (not left to defaults that changed across
 * Electron versions): Electron security checklist items 2–4, 6, 8, 9, 10 and 12.
 */
export function secureWebPreferences(preloadPath: string, devTools: boolean): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools,
  };
}

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://cairn`;
