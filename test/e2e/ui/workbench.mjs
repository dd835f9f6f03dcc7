/**
 * Workbench helpers shared by the UI tests: Explorer rows and context menus, the command palette, quick-input
 * steps, webview frames, the simple file dialog, the theme toggle and the Graph tab.
 */

import { screenshot } from '../lib.mjs';

export const EXPLORER_ROW = '.explorer-folders-view .monaco-list-row';
export const QUICK_INPUT = '.quick-input-widget .quick-input-box input';
export const QUICK_ROW = '.quick-input-widget .monaco-list-row';
export const TOAST = '.notifications-toasts .notification-toast';

/** The (single) webview's content frame: VS Code nests it in two iframes. */
export function webviewFrame(page) {
  return page.locator('iframe.webview.ready').first().contentFrame().locator('iframe#active-frame').contentFrame();
}

export async function explorerRow(page, name) {
  const row = page.locator(EXPLORER_ROW).filter({ hasText: new RegExp(`^\\s*${name.replace(/\./g, '\\.')}\\s*$`) });
  await row.first().waitFor({ state: 'visible', timeout: 30_000 });
  return row.first();
}

export async function openModelFromExplorer(page, name) {
  const tab = page.locator('.tabs-container .tab', { hasText: name });
  if ((await tab.count()) === 0) {
    await (await explorerRow(page, name)).dblclick();
    await tab.first().waitFor({ state: 'visible', timeout: 30_000 });
  } else {
    await tab.first().click();
  }
  const frame = webviewFrame(page);
  await frame.locator('body[data-view-state="ready"]').waitFor({ state: 'attached', timeout: 45_000 });
  return frame;
}

/**
 * Runs a command through the palette (F1, `>Title`, Enter). Retries opening the palette: right after an
 * editor opens, the webview may take keyboard focus back, which closes the quick input again.
 */
export async function runCommand(page, title) {
  const input = page.locator(QUICK_INPUT);
  const row = page.locator(QUICK_ROW).filter({ hasText: title.split(': ').pop() });
  let lastError;
  for (let attempt = 1; attempt <= 4; attempt++) {
    try {
      await page.keyboard.press('F1');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`>${title}`, { timeout: 5_000 });
      await row.first().waitFor({ state: 'visible', timeout: 15_000 });
      await input.press('Enter', { timeout: 5_000 });
      return;
    } catch (e) {
      lastError = e;
      await page.keyboard.press('Escape').catch(() => {});
      await page.waitForTimeout(500 * attempt);
    }
  }
  throw new Error(`could not run "${title}" from the command palette: ${lastError?.message ?? lastError}`);
}


/**
 * The content frame of the webview whose body has data-app=`app` (several webviews may be open); `extra` narrows
 * the body selector, e.g. `:not([data-marker])`.
 */
export async function webviewFrameOf(page, app, timeout = 60_000, extra = '') {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      try {
        if ((await frame.locator(`body[data-app="${app}"]${extra}`).count()) > 0) return frame;
      } catch {
        /* frame detached meanwhile */
      }
    }
    if (Date.now() > deadline) throw new Error(`no ${app} webview appeared within ${Math.round(timeout / 1000)} s`);
    await page.waitForTimeout(250);
  }
}

/** Waits until the quick input shows a title containing `text` (a step of a multi-step picker). */
export async function quickInputStep(page, text, timeout = 30_000) {
  const title = page.locator('.quick-input-widget .quick-input-title').filter({ hasText: text });
  await title.first().waitFor({ state: 'visible', timeout });
}

/** One step of a multi-step quick pick: waits for the step title, filters by `text` (if given) and accepts. */
export async function chooseStep(page, step, text) {
  const input = page.locator(QUICK_INPUT);
  await quickInputStep(page, step);
  if (text) {
    await input.fill(text);
    await page.locator(QUICK_ROW).filter({ hasText: text }).first().waitFor({ state: 'visible', timeout: 10_000 });
  }
  await input.press('Enter');
}

/**
 * Right-click `row` → through the submenus of `items` → its last entry, as a user does; retried, since a context
 * menu may close when the view under it re-renders. `items` are names (matched from the start) or RegExps.
 */
export async function rowContextCommand(page, row, items, what = 'context menu') {
  const matcher = (i) => (i instanceof RegExp ? i : new RegExp(`^${i.replace(/[.…]/g, '.')}`));
  let lastError;
  for (let attempt = 1; attempt <= 3; attempt++) {
    try {
      await row.click({ button: 'right' });
      let entry;
      for (const [k, item] of items.entries()) {
        entry = page.getByRole('menuitem', { name: matcher(item) });
        await entry.first().waitFor({ state: 'visible', timeout: 5_000 });
        if (k < items.length - 1) await entry.first().hover();
      }
      // The menu takes a press only after the pointer moved onto the item (an instant click is dropped).
      const box = await entry.first().boundingBox();
      if (!box) throw new Error(`menu item ${String(items.at(-1))} has no box`);
      await page.mouse.move(box.x + 12, box.y + box.height / 2, { steps: 5 });
      await page.waitForTimeout(300);
      await page.mouse.down();
      await page.waitForTimeout(50);
      await page.mouse.up();
      await entry.first().waitFor({ state: 'hidden', timeout: 5_000 });
      return;
    } catch (e) {
      lastError = e;
      await page.keyboard.press('Escape').catch(() => {});
      await page.waitForTimeout(500 * attempt);
    }
  }
  throw new Error(`${what} → ${items.map(String).join(' → ')} failed: ${lastError?.message ?? lastError}`);
}

/** Explorer → right-click `name` → `submenu` → `item`, as a user does. */
export async function explorerContextCommand(page, name, submenu, item) {
  await rowContextCommand(page, await explorerRow(page, name), [submenu, item], `Explorer context menu on ${name}`);
}

/**
 * Types a full path into code-server's simple file dialog (a quick input) and accepts it. The dialog first fills
 * in its start folder asynchronously, which would overwrite text typed too early.
 */
export async function typeIntoSimpleDialog(page, file) {
  const input = page.locator(QUICK_INPUT);
  const deadline = Date.now() + 10_000;
  while (!(await input.inputValue()).endsWith('/') && Date.now() < deadline) await page.waitForTimeout(100);
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.fill(file);
    await page.waitForTimeout(500);
    if ((await input.inputValue()) === file) break;
  }
  await input.press('Enter');
}

/** Toggles between the light and the dark colour theme (palette command) and waits for the workbench to switch. */
export async function toggleLightDark(page) {
  const wasDark = (await page.locator('.monaco-workbench.vs-dark').count()) > 0;
  await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
  await page.locator(wasDark ? '.monaco-workbench.vs' : '.monaco-workbench.vs-dark').first().waitFor({ state: 'attached', timeout: 10_000 });
}

// ---- Graph tab, Profile Model, Compare Models (structural), hostile model text ---------------------------------

/** Closes every editor (one webview at a time keeps `webviewFrame` unambiguous). */
export async function closeAllEditors(page) {
  await runCommand(page, 'View: Close All Editors');
  await page.waitForTimeout(300);
  // An untitled document (a model card opens as one) asks whether to save it: it is not kept.
  const dontSave = page.locator('.monaco-dialog-box').getByRole('button', { name: /Don't Save/ });
  if ((await dontSave.count()) > 0) {
    await dontSave.first().click();
    await page.waitForTimeout(300);
  }
}

/** Opens `name` in the model editor and shows its Graph tab; resolves to the content frame once the graph is drawn. */
export async function openGraphTab(page, name, nodesTotal) {
  const frame = await openModelFromExplorer(page, name);
  await frame.locator('vscode-panel-tab#main-tab-graph').click();
  await frame.locator('body[data-graph-state="ready"]').waitFor({ state: 'attached', timeout: 45_000 });
  const total = await frame.locator('body').getAttribute('data-nodes-total');
  if (nodesTotal !== undefined && total !== String(nodesTotal)) throw new Error(`${name}: data-nodes-total is ${total}, expected ${nodesTotal}`);
  return frame;
}

/** Clicks a drawn node as a user does (its centre from the component's automation API). */
export async function clickGraphNode(frame, name) {
  const pos = await frame.locator('body').evaluate((_, n) => window.__ptpGraph?.nodeScreenPosition(n) ?? null, name);
  if (!pos) throw new Error(`node ${name} is not drawn`);
  await frame.locator('body').click({ position: pos });
}

// ---- Explain Predictions… --------------------------------------------------------------------------------------

/**
 * Explorer → Post-Training → Explain Predictions… on `model`: 1/5 `data` through the (simple) open dialog ·
 * 2/5 "Rows…" = `rows` · 3/5 default background · 4/5 all outputs · 5/5 the default method. Resolves to the
 * method choices that were offered (the panel opens afterwards: wait for it with `webviewFrameOf(page, 'explain')`).
 */
export async function explainFromExplorer(page, model, data, rows) {
  await explorerContextCommand(page, model, 'Post-Training', 'Explain Predictions…');
  const input = page.locator(QUICK_INPUT);
  await quickInputStep(page, '(1/5)');
  await input.fill('Choose a data file');
  await page.locator(QUICK_ROW).filter({ hasText: 'Choose a data file' }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
  await quickInputStep(page, 'choose the data');
  await typeIntoSimpleDialog(page, data);
  await quickInputStep(page, '(2/5)');
  await input.fill('Rows…');
  await page.locator(QUICK_ROW).filter({ hasText: /^\s*Rows…/ }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await input.press('Enter');
  await page.waitForTimeout(300);
  await input.fill(rows);
  await input.press('Enter');
  await quickInputStep(page, '(3/5)');
  await input.press('Enter');
  await quickInputStep(page, '(4/5)');
  await input.press('Enter');
  await quickInputStep(page, '(5/5)');
  const methods = await page.locator(QUICK_ROW).allInnerTexts();
  await input.press('Enter');
  return methods;
}
