/**
 * "Laying out…" over the graph while a layout runs: shown after a short delay (quick layouts never flash
 * it), with a Cancel button from 2.5 s on (as Netron offers), progress as containers finish.
 */
import { h } from '../shared/dom';
import { formatCount } from '../shared/format';
import type { PlanProgress } from './layout-plan';

export const SHOW_AFTER_MS = 250;
export const CANCEL_AFTER_MS = 2500;

export class LayoutProgress {
  readonly element: HTMLElement;
  private readonly text: HTMLElement;
  private readonly cancel: HTMLButtonElement;
  private timers: ReturnType<typeof setTimeout>[] = [];

  constructor() {
    this.text = h('span', null, 'Laying out…');
    this.cancel = h('button', { type: 'button', class: 'ptp-graph-button', hidden: true }, 'Cancel');
    this.element = h('div', { class: 'ptp-graph-progress', role: 'status', 'aria-live': 'polite', hidden: true }, this.text, this.cancel);
  }

  start(onCancel: () => void): void {
    this.stop();
    this.text.textContent = 'Laying out…';
    this.cancel.onclick = () => {
      this.text.textContent = 'Cancelling…';
      onCancel();
    };
    this.timers.push(
      setTimeout(() => (this.element.hidden = false), SHOW_AFTER_MS),
      setTimeout(() => {
        this.cancel.hidden = false;
        this.text.textContent = `${this.text.textContent ?? ''} This is taking a while.`;
      }, CANCEL_AFTER_MS),
    );
  }

  update(p: PlanProgress): void {
    if (p.total > 1) this.text.textContent = `Laying out… ${formatCount(p.done)} of ${formatCount(p.total)} groups`;
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    this.element.hidden = true;
    this.cancel.hidden = true;
  }
}
