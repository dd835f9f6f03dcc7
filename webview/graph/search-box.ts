/**
 * The search field and its results list: typing searches (debounced) and highlights every hit on the
 * graph; Enter jumps to the next hit (Shift+Enter: previous), ↓ moves into the list, Esc clears.
 */
import { h, replaceChildren } from '../shared/dom';
import { formatCount } from '../shared/format';
import type { SearchHit, SearchResult } from './search';

const SHOWN = 200;

export interface SearchActions {
  run(query: string): SearchResult;
  highlight(hits: readonly SearchHit[] | null): void;
  jump(hit: SearchHit): void;
}

export class SearchBox {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  private readonly list: HTMLElement;
  private readonly status: HTMLElement;
  private result: SearchResult | null = null;
  private current = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly actions: SearchActions) {
    this.input = h('input', {
      type: 'search',
      class: 'ptp-graph-search-input',
      placeholder: 'Find name, op type, tensor, shape 1,3,224,224',
      'aria-label': 'Find in graph',
      spellcheck: 'false',
      autocomplete: 'off',
    });
    this.status = h('span', { class: 'ptp-graph-search-status muted', role: 'status', 'aria-live': 'polite' });
    this.list = h('div', { class: 'ptp-graph-search-results', role: 'listbox', 'aria-label': 'Search results', hidden: true });
    this.element = h('div', { class: 'ptp-graph-search', role: 'search' }, this.input, this.status, this.list);
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.update(), 120);
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.list.addEventListener('keydown', (e) => this.onListKey(e));
  }

  focus(): void {
    this.input.focus();
    this.input.select();
  }

  /** Re-runs the current query (after another graph is shown). */
  refresh(): void {
    if (this.input.value.trim() !== '') this.update();
    else this.clear();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.input.value = '';
    this.result = null;
    this.current = -1;
    this.status.textContent = '';
    this.list.hidden = true;
    replaceChildren(this.list);
    this.actions.highlight(null);
  }

  hideList(): void {
    this.list.hidden = true;
  }

  private update(): void {
    const result = this.actions.run(this.input.value);
    this.result = result;
    this.current = -1;
    if (result.mode === 'empty') {
      this.clear();
      return;
    }
    const what = result.mode === 'shape' ? 'tensors of that shape' : 'matches';
    this.status.textContent =
      result.total === 0 ? 'No matches' : result.total > result.hits.length ? `${formatCount(result.hits.length)} of ${formatCount(result.total)} ${what}` : `${formatCount(result.total)} ${what}`;
    replaceChildren(
      this.list,
      ...result.hits.slice(0, SHOWN).map((hit, i) => {
        const option = h(
          'button',
          { type: 'button', role: 'option', class: 'ptp-graph-search-hit', 'data-index': i, 'aria-selected': 'false', tabindex: -1 },
          h('span', { class: 'label' }, hit.label),
          h('span', { class: 'detail muted' }, hit.kind === 'tensor' ? `tensor · ${hit.detail}` : hit.detail),
        );
        option.addEventListener('click', () => this.go(i));
        return option;
      }),
    );
    this.list.hidden = result.hits.length === 0;
    this.actions.highlight(result.hits);
  }

  private go(i: number): void {
    const hits = this.result?.hits ?? [];
    if (hits.length === 0) return;
    this.current = ((i % hits.length) + hits.length) % hits.length;
    this.list.querySelectorAll('[aria-selected="true"]').forEach((el) => el.setAttribute('aria-selected', 'false'));
    this.list.querySelector(`[data-index="${this.current}"]`)?.setAttribute('aria-selected', 'true');
    this.status.textContent = `${formatCount(this.current + 1)} of ${formatCount(this.result!.total)}`;
    this.actions.jump(hits[this.current]!);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') {
      e.preventDefault();
      clearTimeout(this.timer);
      if (!this.result || this.result.query !== this.input.value) this.update();
      this.go(this.current + (e.shiftKey ? -1 : 1));
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      this.clear();
    } else if (e.key === 'ArrowDown' && !this.list.hidden) {
      e.preventDefault();
      (this.list.firstElementChild as HTMLElement | null)?.focus();
    }
  }

  private onListKey(e: KeyboardEvent): void {
    const target = e.target as HTMLElement;
    if (e.key === 'ArrowDown') (target.nextElementSibling as HTMLElement | null)?.focus();
    else if (e.key === 'ArrowUp') ((target.previousElementSibling as HTMLElement | null) ?? this.input).focus();
    else if (e.key === 'Escape') {
      this.input.focus();
      this.hideList();
    } else return;
    e.preventDefault();
    e.stopPropagation();
  }
}
