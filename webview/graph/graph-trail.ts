/**
 * Subgraphs and model-local functions opened from a graph, kept as a trail back to the graph they were
 * opened from (the breadcrumb). Going back to a graph on the trail restores its view state; a path not on
 * the trail is opened afresh and starts a new trail. A graph that cannot be opened is reported in the
 * toolbar and what is shown stays.
 */
import type { GraphView } from '../../src/protocol/graph';
import type { GraphViewState } from './view-state';

interface TrailEntry {
  readonly view: GraphView;
  readonly state: GraphViewState | null;
}

/** What the trail needs from the component. */
export interface TrailTarget {
  /** The graph shown now and its view state; null before one is shown. */
  current(): TrailEntry | null;
  /** Asks the host for a graph (may reject). */
  load(path: string): Promise<GraphView>;
  display(view: GraphView, state: GraphViewState | null): Promise<void>;
  /** A short status in the toolbar. */
  say(text: string): void;
  /** Opening started (the graph state goes to loading). */
  opening(): void;
  /** Opening failed after `opening()`: the graph state goes back. */
  openFailed(): void;
}

export class GraphTrail {
  private entries: TrailEntry[] = [];

  constructor(private readonly target: TrailTarget) {}

  /** Forgets the trail (another model, or a graph opened from elsewhere). */
  clear(): void {
    this.entries = [];
  }

  /** Opens a subgraph or function from the graph shown now, which goes on the trail. */
  async open(path: string): Promise<void> {
    const current = this.target.current();
    if (!current) return;
    this.target.say('Opening…');
    this.target.opening();
    try {
      const view = await this.target.load(path);
      this.entries.push(current);
      await this.target.display(view, null);
    } catch (e) {
      this.target.say(`Could not open ${path}: ${e instanceof Error ? e.message : String(e)}`);
      this.target.openFailed();
    }
  }

  /** Breadcrumb: back to a graph on the trail (with its view state), or `path` opened afresh. */
  async navigate(path: string): Promise<void> {
    const at = this.entries.findIndex((s) => s.view.path === path);
    if (at >= 0) {
      const entry = this.entries[at]!;
      this.entries.length = at;
      await this.target.display(entry.view, entry.state);
      return;
    }
    try {
      const view = await this.target.load(path);
      this.entries = [];
      await this.target.display(view, null);
    } catch (e) {
      this.target.say(`Could not open ${path}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}
