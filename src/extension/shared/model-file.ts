/** The model file behind a Uri: its path on disk and what the views show about it. */
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FileInfo } from '../../protocol/webview';

/** File-system path of a model Uri; models must be files the extension host can read. */
export function modelPath(uri: vscode.Uri): string {
  if (uri.scheme !== 'file') {
    throw new Error(`${uri.toString(true)}: only model files on disk can be opened (scheme '${uri.scheme}' is not supported).`);
  }
  return uri.fsPath;
}

export function fileName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path);
}

export async function fileInfo(uri: vscode.Uri): Promise<FileInfo> {
  let size: number | null = null;
  if (uri.scheme === 'file') {
    try {
      size = (await fs.stat(uri.fsPath)).size;
    } catch {
      size = null;
    }
  }
  return { name: fileName(uri), path: uri.scheme === 'file' ? uri.fsPath : uri.toString(true), size };
}
