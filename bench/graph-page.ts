/**
 * Chromium plumbing shared by the graph benchmark and the harness checks: launch Debian's Chromium through
 * playwright-core, open the harness with query parameters, wait for `data-graph-state`, measure panning
 * frame rates with requestAnimationFrame.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH, startHarnessServer, type HarnessServer } from './graph-server';

export interface Session {
  readonly server: HarnessServer;
  readonly browser: Browser;
  close(): Promise<void>;
}

export async function openSession(extraArgs: readonly string[] = []): Promise<Session> {
  const server = await startHarnessServer();
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS, ...extraArgs] });
  } catch (e) {
    await server.close();
    throw e;
  }
  return {
    server,
    browser,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.close();
    },
  };
}

export interface Opened {
  readonly page: Page;
  /** performance.now() (ms since navigation start) when data-graph-state became ready/error. */
  readonly readyAt: number;
  readonly state: string;
  readonly data: Readonly<Record<string, string>>;
  readonly timings: Readonly<Record<string, number>>;
  /** Page errors and console errors seen so far. */
  readonly errors: string[];
}

/** Opens the harness and waits until the graph is ready (or failed), up to `timeoutMs`. */
export async function openHarness(session: Session, query: string, timeoutMs: number, viewport = { width: 1400, height: 900 }): Promise<Opened> {
  const page = await session.browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('dialog', (d) => {
    errors.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.addInitScript(() => {
    // Observing `document` (it exists before <html> is parsed) catches the very first ready.
    const seen = () => {
      const s = document.body?.dataset.graphState;
      const w = window as unknown as { __readyAt?: number };
      if ((s === 'ready' || s === 'error') && w.__readyAt === undefined) w.__readyAt = performance.now();
    };
    new MutationObserver(seen).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-graph-state'] });
  });
  try {
    await page.goto(`${session.server.url}?${query}`);
    await page.waitForFunction(() => (window as unknown as { __readyAt?: number }).__readyAt !== undefined, null, { timeout: timeoutMs, polling: 50 });
  } catch (e) {
    // A page stuck in a long synchronous layout is closed from the browser side.
    await Promise.race([page.close({ runBeforeUnload: false }), new Promise((r) => setTimeout(r, 10_000))]).catch(() => undefined);
    throw e;
  }
  const snap = await page.evaluate(() => ({
    readyAt: (window as unknown as { __readyAt: number }).__readyAt,
    data: { ...document.body.dataset } as Record<string, string>,
    timings: window.__harness?.timings ?? {},
  }));
  return { page, readyAt: snap.readyAt, state: snap.data.graphState ?? '', data: snap.data, timings: snap.timings, errors };
}

export interface PanResult {
  readonly fps: number;
  /** Longest gap between two frames, ms. */
  readonly worstFrameMs: number;
}

/** Pans in a slow circle for `ms` (one `__ptpGraph.panBy` per animation frame) and counts frames. */
export function measurePan(page: Page, ms: number): Promise<PanResult> {
  return page.evaluate(
    (duration) =>
      new Promise<PanResult>((resolve) => {
        const api = window.__ptpGraph!;
        let frames = 0;
        let t0 = 0;
        let last = 0;
        let worst = 0;
        const tick = (t: number) => {
          if (t0 === 0) {
            t0 = t;
            last = t;
          } else {
            frames++;
            worst = Math.max(worst, t - last);
            last = t;
          }
          const phase = ((t - t0) / 1000) * Math.PI;
          api.panBy(Math.cos(phase) * 6, Math.sin(phase) * 6);
          if (t - t0 < duration) requestAnimationFrame(tick);
          else resolve({ fps: (frames * 1000) / (t - t0), worstFrameMs: worst });
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );
}

/** Runs an async `__ptpGraph` action in the page and returns how long it took until the graph was ready. */
export async function timeAction(page: Page, action: 'expandAll' | 'collapseAll', timeoutMs: number): Promise<{ ms: number; data: Record<string, string> }> {
  return page.evaluate(
    async ({ action: a, timeoutMs: limit }) => {
      const t0 = performance.now();
      await Promise.race([window.__ptpGraph![a](), new Promise((r) => setTimeout(r, limit))]);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      return { ms: performance.now() - t0, data: { ...document.body.dataset } as Record<string, string> };
    },
    { action, timeoutMs },
  );
}
