/** View state kept by VS Code across webview re-creation (tab switches): getState/setState, merged with defaults. */
import type { VsCodeApi } from './vscode-api';

export class ViewStateStore<S extends object> {
  private state: S;

  constructor(
    private readonly api: VsCodeApi<S>,
    defaults: S,
  ) {
    const saved = api.getState();
    this.state = { ...defaults, ...(saved && typeof saved === 'object' ? saved : {}) };
  }

  get(): Readonly<S> {
    return this.state;
  }

  update(patch: Partial<S>): void {
    this.state = { ...this.state, ...patch };
    this.api.setState(this.state);
  }
}

/** Saves the window's scroll position (throttled to animation frames) and restores it once. */
export function trackScroll(save: (scrollY: number) => void): void {
  let scheduled = false;
  window.addEventListener(
    'scroll',
    () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        save(window.scrollY);
      });
    },
    { passive: true },
  );
}
