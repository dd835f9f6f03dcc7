/**
 * Getting Started: the walkthrough (package.json `contributes.walkthroughs`, steps in media/walkthrough/) and its
 * first step's command, Open the Example Model: the shipped digits MLP with its test and training data (and the
 * example ptp.pipeline.yaml with the drifted copy of the test data it compares with) is copied
 * into `ptp-example/` of the workspace folder (or a folder the user picks when none is open; files already there
 * are kept), and the model opens in the model editor. The later steps are the real commands (Evaluate, Quantize,
 * Register, Serve, Predict, Run Pipeline), and each ticks off when its command runs.
 *
 *   executeCommand('ptp.openExample', { folder: '/abs/dir' }) → { folder, files }   (no prompts)
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import type { Operation, OperationHost } from '../shared/operation';
import { EXAMPLE_FILES, EXAMPLE_FOLDER, EXAMPLE_PIPELINE_FILES, WELCOME_COMMANDS } from './logic/welcome-ids';

export interface OpenExampleResult {
  readonly folder: string;
  /** Absolute paths of the example's files in `folder` (the model first). */
  readonly files: readonly string[];
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export const welcomeOperation: Operation = {
  name: 'welcome',
  activate({ context, log }: OperationHost) {
    const source = vscode.Uri.joinPath(context.extensionUri, 'examples', 'digits').fsPath;
    const pipelineSource = vscode.Uri.joinPath(context.extensionUri, 'examples', 'pipeline').fsPath;

    const openExample = vscode.commands.registerCommand(WELCOME_COMMANDS.openExample, async (args?: { folder?: unknown }): Promise<OpenExampleResult | undefined> => {
      try {
        let folder: string | undefined;
        if (args && typeof args === 'object' && 'folder' in args) {
          if (typeof args.folder !== 'string' || !path.isAbsolute(args.folder)) throw new Error(`${WELCOME_COMMANDS.openExample}: "folder" must be an absolute path`);
          folder = args.folder;
        } else {
          const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
          if (root) folder = path.join(root, EXAMPLE_FOLDER);
          else {
            const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Put the example here', title: 'Open the Example Model: a folder for the digits example' });
            if (!picked?.[0]) return undefined;
            folder = picked[0].fsPath;
          }
        }
        await mkdir(folder, { recursive: true });
        const files: string[] = [];
        for (const name of EXAMPLE_FILES) {
          const to = path.join(folder, name);
          // A file of that name is the user's now (perhaps edited): it is kept.
          if (!(await exists(to))) await copyFile(path.join(source, name), to);
          files.push(to);
        }
        // The example pipeline, its paths made local (the shipped one reads ../digits/), and its drifted data.
        for (const name of EXAMPLE_PIPELINE_FILES) {
          const to = path.join(folder, name);
          if (!(await exists(to))) {
            const from = path.join(pipelineSource, name);
            if (name.endsWith('.yaml')) await writeFile(to, (await readFile(from, 'utf8')).replaceAll('../digits/', ''));
            else await copyFile(from, to);
          }
          files.push(to);
        }
        log.info(`Opened the example in ${folder}: ${EXAMPLE_FILES.join(', ')}`);
        await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(files[0]!), 'ptp.modelEditor');
        return { folder, files };
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        log.error(`Open the Example Model: ${message}`);
        if (args) throw e;
        void vscode.window.showErrorMessage(`Could not open the example: ${message}`);
        return undefined;
      }
    });
    return { disposable: openExample, api: undefined };
  },
};
