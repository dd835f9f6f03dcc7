/**
 * The Models view (Explorer side bar): the workspace registry's models → versions → lineage parent, read from the
 * registry folder (`ptp.registry.path` under the first workspace folder) and refreshed when its files change on
 * disk (a file watcher, debounced), so `ptp registry add` in a terminal shows up at once.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { DEFAULT_REGISTRY_DIR, Registry } from '../../pipeline/registry';
import { modelsTree, type ModelView, type TreeNode } from './logic/models-tree';
import { REGISTRY_COMMANDS } from './logic/registry-ids';

/** The registry folder of the workspace (undefined without a folder open). */
export function registryRoot(scope?: vscode.Uri): string | undefined {
  const folder = (scope && vscode.workspace.getWorkspaceFolder(scope)) ?? vscode.workspace.workspaceFolders?.[0];
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const configured = vscode.workspace.getConfiguration('ptp', folder.uri).get<string>('registry.path') || DEFAULT_REGISTRY_DIR;
  return path.resolve(folder.uri.fsPath, configured);
}

/** Reads every model of `registry` with its versions and their attached evaluations. */
export async function readModels(registry: Registry): Promise<ModelView[]> {
  const models: ModelView[] = [];
  for (const name of await registry.names()) {
    const record = await registry.model(name);
    const versions = [];
    for (const v of await registry.versions(name)) {
      const evaluations = (await registry.evaluations(name, v.version)).map(({ created, data, metrics, samples, task }) => ({ created, data, metrics, samples, task }));
      versions.push({ record: v, file: path.join(registry.versionDir(name, v.version), v.file), evaluations });
    }
    models.push({ record, versions });
  }
  return models;
}

export class ModelsView implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  private nodes: Promise<TreeNode[]> | undefined;
  private timer: NodeJS.Timeout | undefined;
  readonly view: vscode.TreeView<TreeNode>;

  constructor(
    viewId: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.view = vscode.window.createTreeView(viewId, { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('ptp.registry.path') && this.watch()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.watch()),
    );
    this.watch();
  }

  /** The registry the view shows, if a folder is open. */
  get root(): string | undefined {
    return registryRoot();
  }

  private watch(): void {
    this.watcher?.dispose();
    const root = this.root;
    // Watched from the workspace folder when the registry is inside it: a watch based on a folder that does not exist
    // yet (no model registered so far) would never fire.
    const folder = vscode.workspace.workspaceFolders?.[0];
    const rel = folder && root ? path.relative(folder.uri.fsPath, root) : undefined;
    const pattern = !root
      ? undefined
      : folder && rel !== undefined && !rel.startsWith('..') && !path.isAbsolute(rel)
        ? new vscode.RelativePattern(folder, `${rel.split(path.sep).join('/')}/**/*.json`)
        : new vscode.RelativePattern(vscode.Uri.file(root), '**/*.json');
    this.watcher = pattern ? vscode.workspace.createFileSystemWatcher(pattern) : undefined;
    if (this.watcher) for (const e of [this.watcher.onDidCreate, this.watcher.onDidChange, this.watcher.onDidDelete]) e(() => this.refreshSoon(), undefined, this.disposables);
    this.refresh();
  }

  private refreshSoon(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), 150);
  }

  refresh(): void {
    this.nodes = undefined;
    this.changed.fire(undefined);
  }

  /** The whole tree (read once per refresh). */
  tree(): Promise<TreeNode[]> {
    const root = this.root;
    this.nodes ??= root
      ? readModels(Registry.at(root)).then(modelsTree, (e: unknown) => {
          this.log.error(`Models view: cannot read the registry ${root}: ${(e as Error).message}`);
          void vscode.window.showErrorMessage(`The model registry ${root} cannot be read: ${(e as Error).message}`);
          return [];
        })
      : Promise.resolve([]);
    return this.nodes;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return node ? [...node.children] : this.tree();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const collapsible = node.children.length === 0 ? vscode.TreeItemCollapsibleState.None : node.kind === 'model' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, collapsible);
    item.id = node.id;
    item.description = node.description;
    const tooltip = new vscode.MarkdownString(node.tooltip);
    tooltip.isTrusted = false;
    tooltip.supportHtml = false;
    item.tooltip = tooltip;
    item.contextValue = node.contextValue;
    item.iconPath = new vscode.ThemeIcon(node.kind === 'model' ? 'package' : node.kind === 'version' ? 'versions' : 'arrow-left');
    if (node.kind === 'version') item.command = { command: REGISTRY_COMMANDS.openVersion, title: 'Open', arguments: [node] };
    if (node.kind === 'parent' && node.ref) item.command = { command: REGISTRY_COMMANDS.openVersion, title: 'Open', arguments: [node.ref] };
    return item;
  }

  getParent(): undefined {
    return undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.watcher?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
