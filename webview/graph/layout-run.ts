/** Runs one container layout with the chosen engine (inside the worker, or on the page as a fallback). */
import { dagreLayout } from './layout-dagre';
import { layeredLayout } from './layered-layout';
import type { LayoutEngine, LayoutInput, LayoutOutput } from './layout-types';

export function runLayout(engine: LayoutEngine, input: LayoutInput): LayoutOutput {
  return engine === 'dagre' ? dagreLayout(input) : layeredLayout(input);
}
