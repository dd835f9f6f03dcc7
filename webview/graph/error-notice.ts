/** The message over the stage when a graph cannot be laid out, with a way out (collapse all and retry). */
import { h } from '../shared/dom';

export class ErrorNotice {
  readonly element: HTMLElement = h('div', { class: 'ptp-graph-error', role: 'alert', hidden: true });

  /** `retry` runs when the user asks to collapse all groups and try again. */
  constructor(private readonly retry: () => void) {}

  show(message: string): void {
    this.element.replaceChildren(h('p', null, message));
    const retry = h('button', { type: 'button', class: 'ptp-graph-button' }, 'Collapse all and retry');
    retry.addEventListener('click', () => this.retry());
    this.element.appendChild(retry);
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }
}
