/**
 * What the Models view shows, computed from the registry's records: models → versions (aliases and the operation
 * that made them as the description, sha256 / lineage / key metrics in the tooltip) → the lineage parent. No
 * vscode: models-view.ts turns these nodes into TreeItems. Every string that comes from a record (names,
 * descriptions, tags, params) is escaped before it goes into Markdown: it is shown as text, never as markup.
 */
import type { EvaluationRecord, ModelRecord, VersionRecord, VersionRef } from '../../../pipeline/registry/types';
import { MODELS_ITEM } from './registry-ids';

export interface VersionView {
  readonly record: VersionRecord;
  /** The stored model file (absolute). */
  readonly file: string;
  readonly evaluations: readonly Pick<EvaluationRecord, 'created' | 'data' | 'metrics' | 'samples' | 'task'>[];
}

export interface ModelView {
  readonly record: ModelRecord;
  readonly versions: readonly VersionView[];
}

export interface TreeNode {
  readonly id: string;
  readonly kind: 'model' | 'version' | 'parent';
  readonly label: string;
  readonly description: string;
  /** Markdown (record strings escaped). */
  readonly tooltip: string;
  readonly contextValue: string;
  readonly ref?: VersionRef;
  readonly file?: string;
  readonly children: readonly TreeNode[];
}

/** Markdown-escapes text from a record. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`);
}

/** The metrics worth a glance, in this order, when present. */
const KEY_METRICS = ['accuracy', 'f1_macro', 'roc_auc', 'roc_auc_ovr_macro', 'log_loss', 'r2', 'rmse', 'mae'];

export function keyMetrics(metrics: Readonly<Record<string, number>>, most = 3): [string, number][] {
  return KEY_METRICS.filter((k) => typeof metrics[k] === 'number').slice(0, most).map((k) => [k, metrics[k]!]);
}

const formatMetric = (v: number): string => (Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function versionTooltip(model: ModelRecord, v: VersionView, aliases: readonly string[]): string {
  const r = v.record;
  const lines = [
    `**${escapeMarkdown(`${r.name}@${r.version}`)}**${aliases.length ? ` — ${aliases.map((a) => `\`@${escapeMarkdown(a)}\``).join(' ')}` : ''}`,
    '',
    `sha256 \`${r.sha256}\`  `,
    `${formatBytes(r.size_bytes)}, registered ${escapeMarkdown(r.created)}  `,
    `from ${escapeMarkdown(r.source)}`,
  ];
  if (r.description || model.description) lines.push('', escapeMarkdown(r.description || model.description));
  if (r.lineage) {
    const params = Object.entries(r.lineage.params).map(([k, x]) => `${k}=${typeof x === 'string' ? x : JSON.stringify(x)}`).join(', ');
    lines.push('', `made by **${escapeMarkdown(r.lineage.operation)}**${r.parent ? ` from ${escapeMarkdown(`${r.parent.name}@${r.parent.version}`)}` : ' from an unregistered model'}${params ? `: ${escapeMarkdown(params)}` : ''}`);
  }
  const last = v.evaluations.at(-1);
  if (last) {
    const shown = keyMetrics(last.metrics);
    lines.push('', `evaluated on ${escapeMarkdown(last.data.name)} (${last.samples} rows): ${shown.map(([k, x]) => `${escapeMarkdown(k)} **${formatMetric(x)}**`).join(', ')}`);
  }
  const tags = Object.entries(r.tags);
  if (tags.length) lines.push('', `tags: ${tags.map(([k, x]) => escapeMarkdown(`${k}=${x}`)).join(', ')}`);
  return lines.join('\n');
}

/** The tree of the Models view: one node per model, newest version first. */
export function modelsTree(models: readonly ModelView[]): TreeNode[] {
  return models.map((m) => {
    const aliasesOf = (version: number) => Object.entries(m.record.aliases).filter(([, v]) => v === version).map(([a]) => a).sort();
    const versions = [...m.versions].sort((a, b) => b.record.version - a.record.version).map((v): TreeNode => {
      const r = v.record;
      const aliases = aliasesOf(r.version);
      const last = v.evaluations.at(-1);
      const metric = last ? keyMetrics(last.metrics, 1)[0] : undefined;
      const parent: TreeNode[] = r.parent
        ? [
            {
              id: `${r.name}@${r.version}/parent`,
              kind: 'parent',
              label: `← ${r.parent.name}@${r.parent.version}`,
              description: r.lineage?.operation ?? '',
              tooltip: `${escapeMarkdown(`${r.name}@${r.version}`)} was made from ${escapeMarkdown(`${r.parent.name}@${r.parent.version}`)}${r.lineage ? ` by ${escapeMarkdown(r.lineage.operation)}` : ''}`,
              contextValue: MODELS_ITEM.parent,
              ref: r.parent,
              children: [],
            },
          ]
        : [];
      return {
        id: `${r.name}@${r.version}`,
        kind: 'version',
        label: `v${r.version}`,
        description: [...aliases.map((a) => `@${a}`), r.lineage?.operation ?? '', metric ? `${metric[0]} ${formatMetric(metric[1])}` : '', formatBytes(r.size_bytes)].filter(Boolean).join(' · '),
        tooltip: versionTooltip(m.record, v, aliases),
        contextValue: r.parent ? MODELS_ITEM.versionWithParent : MODELS_ITEM.version,
        ref: { name: r.name, version: r.version },
        file: v.file,
        children: parent,
      };
    });
    const aliases = Object.entries(m.record.aliases).sort(([a], [b]) => a.localeCompare(b));
    return {
      id: m.record.name,
      kind: 'model',
      label: m.record.name,
      description: [`${m.versions.length} version${m.versions.length === 1 ? '' : 's'}`, ...aliases.map(([a, v]) => `@${a} v${v}`)].join(' · '),
      tooltip: [`**${escapeMarkdown(m.record.name)}**`, m.record.description ? `\n\n${escapeMarkdown(m.record.description)}` : ''].join(''),
      contextValue: MODELS_ITEM.model,
      children: versions,
    };
  });
}

/** `{ name, version }` from a tree node, a `NAME@VERSION` string or a plain object (scripts and tests). */
export function refOf(arg: unknown): VersionRef | undefined {
  if (typeof arg === 'string') {
    const m = /^(.+)@v?(\d+)$/.exec(arg);
    return m ? { name: m[1]!, version: Number(m[2]) } : undefined;
  }
  if (arg && typeof arg === 'object') {
    const o = arg as { ref?: VersionRef; name?: unknown; version?: unknown };
    if (o.ref && typeof o.ref.name === 'string' && typeof o.ref.version === 'number') return o.ref;
    if (typeof o.name === 'string' && typeof o.version === 'number') return { name: o.name, version: o.version };
  }
  return undefined;
}

/** What an action on a whole model acts on: a version, or a model (its @champion, else its latest version). */
export type RegistryTarget = { readonly version: VersionRef } | { readonly model: string; readonly ref?: string };

/**
 * A version node or `NAME@VERSION` / `{ name, version }` → that version; a model node or `NAME` → the model;
 * `NAME@ALIAS` → the model at that alias (scripts and tests).
 */
export function registryTargetOf(arg: unknown): RegistryTarget | undefined {
  const version = refOf(arg);
  if (version) return { version };
  if (typeof arg === 'string') {
    const at = arg.lastIndexOf('@');
    if (at < 0) return arg ? { model: arg } : undefined;
    return at > 0 && at < arg.length - 1 ? { model: arg.slice(0, at), ref: arg.slice(at + 1) } : undefined;
  }
  const o = arg as { kind?: unknown; label?: unknown } | undefined;
  if (o && typeof o === 'object' && o.kind === 'model' && typeof o.label === 'string') return { model: o.label };
  return undefined;
}
