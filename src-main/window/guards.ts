import type { WebContents } from 'electron';

/** True for https URLs, the only kind handed to the OS browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Locks a window to our own origin: no navigation or redirect elsewhere, no new windows (https
 * links go to the OS browser instead), no webviews, no permission grants.
 */
export function guardWebContents(contents: WebContents, trustedOrigin: string, openExternal: (url: string) => void): void {
  const sameOrigin = (url: string): boolean => {
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host}` === trustedOrigin;
    } catch {
      return false;
    }
  };
  contents.on('will-navigate', (event, url) => {
    if (!sameOrigin(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!sameOrigin(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
