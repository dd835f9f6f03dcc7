/**
 * Layout orchestration for the component: the visible graph of an expansion, then its containers laid
 * out bottom-up in the worker pool (layout-plan.ts), reusing the per-graph cache of container layouts;
 * the "Laying out…" progress with its Cancel offer while it runs. Starting another run (or `supersede`,
 * or `dispose`) makes a running one come back `superseded`: only the newest result is used.
 */
import type { GraphIndex } from './graph-index';
import type { ItemBoxes } from './item-boxes';
import { LayoutCancelledError, LayoutPool, type WorkerSource } from './layout-client';
import { LayoutCache, layoutVisibleGraph, type PlanProgress } from './layout-plan';
import type { LayoutEngineChoice, LayoutOutput } from './layout-types';
import { LayoutProgress } from './progress';
import { computeVisibleGraph, type VisibleGraph } from './visible-graph';

/** How a layout run ended. `ms` are the phases: visible-graph computation and container layouts. */
export type LayoutOutcome =
  | { readonly status: 'done'; readonly vg: VisibleGraph; readonly layouts: ReadonlyMap<number, LayoutOutput>; readonly ms: { readonly visibleGraph: number; readonly layouts: number } }
  | { readonly status: 'cancelled' }
  | { readonly status: 'failed'; readonly message: string }
  | { readonly status: 'superseded' };

const SUPERSEDED: LayoutOutcome = { status: 'superseded' };

export class LayoutRunner {
  /** The progress line and Cancel button (the component places it over the stage). */
  readonly progress = new LayoutProgress();
  private readonly pool: LayoutPool;
  /** Container layouts per graph path. */
  private readonly caches = new Map<string, LayoutCache>();
  private generation = 0;

  constructor(
    worker: WorkerSource | undefined,
    private readonly engine: LayoutEngineChoice,
  ) {
    this.pool = new LayoutPool(worker);
    void this.pool.warmUp();
  }

  /** False when layouts run on the page (no worker given, or it failed to start). */
  get workers(): boolean {
    return !this.pool.fallback;
  }

  /** Forgets cached container layouts (a new model, or the same path after the file changed). */
  clearCaches(): void {
    this.caches.clear();
  }

  /** Drops the result of a running layout (another graph is being shown). */
  supersede(): void {
    this.generation++;
  }

  /** Lays out what `expanded` makes visible. Resolves when done, cancelled, failed or superseded. */
  async run(index: GraphIndex, expanded: ReadonlySet<number>, boxes: ItemBoxes): Promise<LayoutOutcome> {
    const gen = ++this.generation;
    const t0 = performance.now();
    const vg = computeVisibleGraph(index, expanded);
    const tVisible = performance.now();
    this.progress.start(() => this.pool.cancel());
    let layouts: ReadonlyMap<number, LayoutOutput>;
    try {
      const progress = (p: PlanProgress) => gen === this.generation && this.progress.update(p);
      const plan = await layoutVisibleGraph(index, vg, boxes, this.cacheFor(index.view.path), (engine, input) => this.pool.run(engine, input), this.engine, progress);
      layouts = plan.layouts;
    } catch (e) {
      if (gen !== this.generation) return SUPERSEDED;
      this.progress.stop();
      if (e instanceof LayoutCancelledError) return { status: 'cancelled' };
      return { status: 'failed', message: e instanceof Error ? e.message : String(e) };
    }
    if (gen !== this.generation) return SUPERSEDED;
    this.progress.stop();
    return { status: 'done', vg, layouts, ms: { visibleGraph: tVisible - t0, layouts: performance.now() - tVisible } };
  }

  /** Stops running layouts and the workers; later runs come back cancelled. */
  dispose(): void {
    this.generation++;
    this.progress.stop();
    this.pool.dispose();
  }

  private cacheFor(path: string): LayoutCache {
    let c = this.caches.get(path);
    if (!c) this.caches.set(path, (c = new LayoutCache()));
    return c;
  }
}
