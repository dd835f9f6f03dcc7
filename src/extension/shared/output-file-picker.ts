/**
 * The output-file step every model-writing command ends with (Quantize, Optimize, Prune, Distill): an input box with
 * the suggested path (its base name selected), never the source model, and a confirmation before overwriting.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

/** The output file, `suggested` by default, never the model itself; an existing file needs a confirmation. */
export async function pickOutputFile(model: string, suggested: string, title: string, prompt: string): Promise<string | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    value: suggested,
    valueSelection: [path.dirname(suggested).length + 1, suggested.length - '.onnx'.length],
    prompt,
    ignoreFocusOut: true,
    validateInput: (v) => {
      const p = v.trim();
      if (!p) return 'Enter a file path';
      if (!path.isAbsolute(p)) return 'Enter an absolute path';
      if (path.resolve(p) === path.resolve(model)) return 'The output cannot be the source model';
      return undefined;
    },
  });
  const output = typed?.trim();
  if (!output) return undefined;
  return (await confirmOverwrite(output)) ? output : undefined;
}

/** True when `file` does not exist or the user agreed to overwrite it (modal warning). */
export async function confirmOverwrite(file: string): Promise<boolean> {
  try {
    await fs.stat(file);
  } catch {
    return true;
  }
  const answer = await vscode.window.showWarningMessage(`${path.basename(file)} already exists. Overwrite it?`, { modal: true, detail: file }, 'Overwrite');
  return answer === 'Overwrite';
}
