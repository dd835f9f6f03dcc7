/**
 * Writes a file through a temporary file in the same folder and a rename, so readers never see half a file and a
 * failed write leaves the old file (if any) as it was. Used by every Save… of the panels and the graph.
 */
import { rename, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
}

/** `writeFileAtomic` for a file on disk; other schemes (virtual file systems) go through `workspace.fs`. */
export async function writeUriAtomic(target: vscode.Uri, data: string | Uint8Array): Promise<void> {
  if (target.scheme === 'file') return writeFileAtomic(target.fsPath, data);
  await vscode.workspace.fs.writeFile(target, typeof data === 'string' ? new TextEncoder().encode(data) : data);
}
