/** Export of the laid-out picture as SVG or PNG, saved through the host, with its status in the toolbar. */
import type { ExportKind, GraphHost } from './api';
import { renderPng } from './export-png';
import { sceneToSvg } from './export-svg';
import type { GraphIndex } from './graph-index';
import type { DrawState, Renderer } from './renderer';
import type { Scene } from './scene';
import type { GraphTheme } from './theme';

/** The picture as shown: scene, renderer, theme and what is painted over it. */
export interface Picture {
  readonly index: GraphIndex;
  readonly scene: Scene;
  readonly renderer: Renderer;
  readonly theme: GraphTheme;
  readonly state: DrawState;
}

/** Makes the export and hands it to `host.saveExport`; a failure is reported through `say`, never thrown. */
export async function exportPicture(kind: ExportKind, p: Picture, host: Pick<GraphHost, 'saveExport'>, say: (text: string) => void): Promise<void> {
  say(`Exporting ${kind.toUpperCase()}…`);
  try {
    const { index, scene, state } = p;
    const data =
      kind === 'svg'
        ? sceneToSvg(scene, index, state.boxes, p.theme, { title: index.view.name || index.view.path, overlay: state.overlay, marks: state.marks, edgeLabel: state.edgeLabel })
        : await renderPng(p.renderer, scene, p.theme, state);
    await host.saveExport(kind, data);
    say(`${kind.toUpperCase()} exported.`);
  } catch (e) {
    say(`Export failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
