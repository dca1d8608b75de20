import type { BrowserWindow, BrowserWindowConstructorOptions } from 'electron';

/**
 * The console window. Its options are written out here, literally, so that a reviewer (and
 * Electronegativity, which reads `new BrowserWindow({...})`) sees each hardening option at the
 * place the window is made: Electron security checklist items 2–4, 6, 8–10, 12 and devtools.
 */
export function createMainWindow(Window: new (options: BrowserWindowConstructorOptions) => BrowserWindow, preloadPath: string, mode: 'production' | 'development'): BrowserWindow {
  const window = new Window({
    width: 1280,
    height: 820,
    title: mode === 'development' ? 'Cairn — DEVELOPMENT MODE' : 'Cairn',
    show: false,
    webPreferences: {
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
      // Middle-click must not open links in a new window behind the navigation guards' back.
      disableBlinkFeatures: 'Auxclick',
      // Devtools exist only in a development launch, which the title marks.
      devTools: mode === 'development',
    },
  });
  if (mode === 'production') window.removeMenu();
  return window;
}

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://cairn`;
