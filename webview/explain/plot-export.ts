/** A plot as SVG text, or as PNG (base64) drawn from the SVG or a canvas, for the host to save. */
import type { PlotExport } from '../../src/protocol/explain-panel';

export function svgText(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}

function canvasBase64(canvas: HTMLCanvasElement): string {
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** Rasterises the SVG at 2× on the theme's background (the CSP allows data: images). */
export async function svgToPng(svg: SVGSVGElement, background: string): Promise<string> {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const img = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the plot could not be drawn as an image'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(svg))}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = width * 2;
  canvas.height = height * 2;
  const ctx = canvas.getContext('2d')!;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvasBase64(canvas);
}

export async function plotExport(format: 'png' | 'svg', name: string, plot: SVGSVGElement | HTMLCanvasElement, background: string): Promise<PlotExport> {
  if (plot instanceof HTMLCanvasElement) {
    if (format === 'svg') throw new Error('This plot is an image: save it as PNG.');
    return { format, name, data: canvasBase64(plot) };
  }
  return { format, name, data: format === 'svg' ? svgText(plot) : await svgToPng(plot, background) };
}
