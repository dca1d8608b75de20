import type { CairnBridge } from '../src-preload/api';

declare global {
  interface Window {
    readonly cairn: CairnBridge;
  }
}
