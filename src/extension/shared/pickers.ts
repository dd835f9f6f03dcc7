/**
 * Picker steps the operations share: one choice from a list, a validated text, the label column of a data file.
 * Each resolves to undefined when the user pressed Escape.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { describeValues, idLikeColumns, readDataColumns, type DataColumns } from './logic/data-columns';

export type Valued<T> = vscode.QuickPickItem & { readonly value: T };

export async function pickOne<T>(items: readonly Valued<T>[], title: string, placeHolder: string): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder, matchOnDescription: true, ignoreFocusOut: true });
  return picked?.value;
}

/** An input box whose text `parse` turns into a value or the message shown under the box. */
export async function pickParsed<T>(
  title: string,
  prompt: string,
  value: string,
  parse: (text: string) => { value: T } | { error: string },
): Promise<T | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    ignoreFocusOut: true,
    validateInput: (text) => {
      const r = parse(text);
      return 'error' in r ? r.error : undefined;
    },
  });
  if (typed === undefined) return undefined;
  const r = parse(typed);
  return 'value' in r ? r.value : undefined;
}

/**
 * The auto-detected label first (Enter takes it), the other columns, then "no labels" (`noLabel` names it,
 * `noLabelDescription` explains it). `source` is a data file (its columns are read) or its columns.
 */
export async function pickLabel(source: string | DataColumns, title: string, noLabel: string, noLabelDescription?: string): Promise<string | null | undefined> {
  const columns =
    typeof source === 'string'
      ? await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Reading the columns of ${path.basename(source)}` }, () => readDataColumns(source))
      : source;
  const detected = columns.detectedLabel;
  const items: Valued<string | null>[] = [];
  if (detected !== null) items.push({ label: detected, description: 'auto-detected', value: detected });
  for (const c of columns.columns) if (c.name !== detected && c.kind !== 'tensor') items.push({ label: c.name, description: describeValues(c), value: c.name });
  items.push({ label: noLabel, ...(noLabelDescription ? { description: noLabelDescription } : {}), value: null });
  return pickOne(items, title, detected !== null ? `Label column (auto-detected: ${detected})` : 'Label column (none was auto-detected)');
}

/** Id-like columns and text columns (a numeric model cannot take them) are offered for exclusion, checked. */
export async function pickIdAndTextColumns(columns: DataColumns, title: string): Promise<string[] | undefined> {
  const label = columns.detectedLabel;
  const ids = new Set(idLikeColumns(columns, label).map((c) => c.name));
  const candidates = columns.columns.filter((c) => c.name !== label && (ids.has(c.name) || c.kind === 'text'));
  if (candidates.length === 0) return [];
  const picked = await vscode.window.showQuickPick(
    candidates.map((c): Valued<string> => ({ label: c.name, description: `${ids.has(c.name) ? 'looks like an id' : 'text'} · ${describeValues(c)}`, picked: true, value: c.name })),
    {
      title: `${title}: columns not fed to the model`,
      placeHolder: 'These columns look like ids or hold text: leave the checked ones out of the features',
      canPickMany: true,
      ignoreFocusOut: true,
    },
  );
  return picked?.map((i) => i.value);
}
