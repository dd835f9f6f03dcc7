/**
 * Per-node overlays for the model editor's Graph tab, set by other features (Profile Model, quantization
 * SQNR, pruning sparsity) and shown by every open graph of that model file. Also carries node actions a
 * feature offers in the graph's side panel (e.g. "Exclude from quantization"): the graph host calls
 * `runAction`, the owning feature handles it. No vscode import: plain listeners, disposable.
 */
import type { Overlay } from '../../protocol/graph';

export interface NodeAction {
  /** Stable id, e.g. `quantize.exclude`. */
  readonly id: string;
  /** Button text in the side panel. */
  readonly label: string;
}

export interface OverlayEntry {
  readonly overlay: Overlay;
  /** Actions offered on a selected node while this overlay is shown. */
  readonly actions?: readonly NodeAction[];
}

type Listener = (modelPath: string, entry: OverlayEntry | null) => void;
type ActionHandler = (modelPath: string, actionId: string, nodeName: string) => Promise<void> | void;

export class GraphOverlays {
  private readonly current = new Map<string, OverlayEntry>();
  private readonly listeners = new Set<Listener>();
  private readonly handlers = new Map<string, ActionHandler>();
  private readonly reveal = new Set<string>();

  /**
   * Sets (or clears with null) the overlay of a model file (absolute path). `reveal`: the next model editor of
   * that file to show it (an open one now, else the next one opened) switches to its Graph tab, once.
   */
  set(modelPath: string, entry: OverlayEntry | null, options: { readonly reveal?: boolean } = {}): void {
    if (entry) this.current.set(modelPath, entry);
    else this.current.delete(modelPath);
    if (entry && options.reveal) this.reveal.add(modelPath);
    for (const l of this.listeners) l(modelPath, entry);
  }

  /** Whether a graph should switch to its Graph tab for this file; true once per `set(…, { reveal: true })`. */
  takeReveal(modelPath: string): boolean {
    return this.reveal.delete(modelPath);
  }

  get(modelPath: string): OverlayEntry | undefined {
    return this.current.get(modelPath);
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Registers the handler of the actions whose id starts with `prefix.` (e.g. `quantize`). */
  handleActions(prefix: string, handler: ActionHandler): { dispose(): void } {
    this.handlers.set(prefix, handler);
    return { dispose: () => this.handlers.delete(prefix) };
  }

  async runAction(modelPath: string, actionId: string, nodeName: string): Promise<void> {
    const handler = this.handlers.get(actionId.split('.')[0] ?? '');
    if (!handler) throw new Error(`no handler for node action ${actionId}`);
    await handler(modelPath, actionId, nodeName);
  }

  dispose(): void {
    this.listeners.clear();
    this.handlers.clear();
    this.current.clear();
  }
}
