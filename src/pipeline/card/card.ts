/**
 * `ptp card`: a Markdown model card that Hugging Face and people both read — YAML front matter (license, tags,
 * library_name: onnx, and a model-index whose results come from the attached evaluations: task type, dataset name
 * and sha256, each metric's type and value) and the sections of Mitchell et al., "Model Cards for Model Reporting"
 * (2019). Everything the files can tell is filled in (I/O, opsets, parameters, size, sha256, lineage, metrics,
 * per-group fairness, robustness); what only a person can know is a clearly marked placeholder, never invented.
 * Every string from the model or the data is escaped for Markdown. Plain inputs; writes nothing itself.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { inspect, openModel } from '../../core';
import type { EvaluateResult } from '../../protocol/evaluate';
import type { EvaluationRecord, ModelRecord, VersionRecord } from '../registry/types';
import { readLineage } from '../shared/lineage';
import { TOOL_VERSION } from '../shared/version';

export interface CardInputs {
  /** The model file. */
  readonly model: string;
  /** Registry records, when the model is a registered version. */
  readonly record?: { readonly model: ModelRecord; readonly version: VersionRecord; readonly chain?: readonly { name: string | null; version: number | null; operation: string | null }[] };
  /** Evaluation runs: attached to the version, or `ptp evaluate --save` files. */
  readonly evaluations?: readonly Pick<EvaluationRecord, 'data' | 'result'>[];
}

export interface ModelCard {
  readonly markdown: string;
  /** The front matter as an object (what Hugging Face reads). */
  readonly front_matter: Record<string, unknown>;
  /** Headings still holding a placeholder a person should fill in. */
  readonly placeholders: readonly string[];
}

const PLACEHOLDER = (what: string) => `> ✍️ **To be written by a person:** ${what}`;

/** Markdown-escapes text from a model or data file (shown as text, never as markup). */
export function md(text: string): string {
  return text.replace(/[\\`*_{}[\]()#|<>~&!]/g, (c) => `\\${c}`);
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(2) : v.toPrecision(4));

function taskType(r: EvaluateResult, inputs: number, imageLike: boolean): string {
  if (r.task === 'regression') return 'tabular-regression';
  return imageLike ? 'image-classification' : inputs > 0 ? 'tabular-classification' : 'classification';
}

function scalarMetrics(r: EvaluateResult): [string, number][] {
  return Object.entries(r.metrics ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
}

async function fileSha(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

export async function modelCard(inputs: CardInputs): Promise<ModelCard> {
  const file = path.resolve(inputs.model);
  const m = await openModel(file);
  let info;
  let lineage;
  try {
    info = inspect(m);
    lineage = readLineage(m.proto.metadataProps);
  } finally {
    await m.close();
  }
  const sha256 = inputs.record?.version.sha256 ?? (await fileSha(file));
  const size = inputs.record?.version.size_bytes ?? (await stat(file)).size;
  const name = inputs.record ? `${inputs.record.version.name}` : path.basename(file, '.onnx');
  const title = inputs.record ? `${inputs.record.version.name} v${inputs.record.version.version}` : path.basename(file);
  const evaluations = inputs.evaluations ?? [];
  const imageLike = info.inputs.some((v) => (v.shape?.length ?? 0) === 4);
  const tags = ['onnx', 'ptp', ...new Set(evaluations.map((e) => (e.result.task === 'regression' ? 'regression' : 'classification')))];
  for (const [k, v] of Object.entries(inputs.record?.version.tags ?? {})) tags.push(`${k}:${v}`);

  const frontMatter: Record<string, unknown> = {
    license: 'other',
    library_name: 'onnx',
    tags,
    ...(evaluations.length
      ? {
          'model-index': [
            {
              name,
              results: evaluations.map((e) => ({
                task: { type: taskType(e.result, info.inputs.length, imageLike) },
                dataset: { name: e.data.name, type: e.data.name, revision: e.data.sha256 },
                metrics: scalarMetrics(e.result).map(([type, value]) => ({ type, value })),
              })),
            },
          ],
        }
      : {}),
  };

  const placeholders: string[] = [];
  const section = (heading: string, body: string[], placeholder?: string) => {
    if (placeholder) placeholders.push(heading);
    return [`## ${heading}`, '', ...body, ...(placeholder ? [PLACEHOLDER(placeholder)] : []), ''];
  };
  const io = (kind: string, vs: typeof info.inputs) => vs.map((v) => `| ${kind} | \`${md(v.name)}\` | ${md(v.elem_type ?? '?')} | ${v.shape ? `[${v.shape.map((d) => (d === null ? '?' : md(String(d)))).join(', ')}]` : 'unknown'} |`);
  const chain = inputs.record?.chain ?? [];
  const details = [
    `- **Format**: ONNX, IR version ${info.ir_version}, opsets ${Object.entries(info.opset_import).map(([d, v]) => `${md(d)} ${v}`).join(', ')}`,
    `- **Producer**: ${info.producer_name ? md(`${info.producer_name} ${info.producer_version}`.trim()) : 'not recorded in the file'}`,
    `- **Parameters**: ${info.parameter_count.toLocaleString('en-US')} (${info.initializer_count} initializers), ${info.node_count} nodes`,
    `- **Size**: ${size.toLocaleString('en-US')} bytes; sha256 \`${sha256}\``,
    ...(info.doc_string ? [`- **Description in the file**: ${md(info.doc_string)}`] : []),
    ...(inputs.record?.model.description ? [`- **Registry description**: ${md(inputs.record.model.description)}`] : []),
    ...(lineage ? [`- **Made by**: \`ptp ${md(lineage.operation)}\` ${lineage.tool_version ? `(ptp ${md(lineage.tool_version)}) ` : ''}from the model with sha256 \`${lineage.parent_sha256}\`; parameters: \`${md(JSON.stringify(lineage.params))}\``] : []),
    ...(chain.length > 1 ? [`- **Lineage**: ${chain.map((l) => (l.name !== null ? md(`${l.name}@${l.version}`) : 'an unregistered model')).join(' ← ')}`] : []),
    '',
    '| | name | type | shape |',
    '|---|---|---|---|',
    ...io('input', info.inputs),
    ...io('output', info.outputs),
  ];
  const metrics = evaluations.flatMap((e) => [`**On ${md(e.data.name)}** (${e.result.samples} rows, ${e.result.task}, sha256 \`${e.data.sha256 || 'unknown'}\`):`, '', '| metric | value |', '|---|---|', ...scalarMetrics(e.result).map(([k, v]) => `| ${md(k)} | ${fmt(v)} |`), '']);
  const fairness = evaluations.flatMap((e) =>
    Object.entries(e.result.fairness ?? {}).flatMap(([col, f]) => [
      `**By ${md(col)}** on ${md(e.data.name)}: demographic parity difference ${fmt(f.demographic_parity_difference)}, equalized odds difference ${fmt(f.equalized_odds_difference)}`,
      '',
      '| group | rows | selection rate | TPR | FPR | accuracy |',
      '|---|---|---|---|---|---|',
      ...Object.entries(f.by_group).map(([g, x]) => `| ${md(g)} | ${x.n} | ${fmt(x.selection_rate)} | ${fmt(x.tpr)} | ${fmt(x.fpr)} | ${fmt(x.accuracy)} |`),
      '',
    ]),
  );
  const robustness = evaluations.flatMap((e) =>
    e.result.robustness
      ? [`**Robustness** on ${md(e.data.name)} (${e.result.robustness.metric}, baseline ${fmt(e.result.robustness.baseline)}):`, '', '| perturbation | level | metric | Δ |', '|---|---|---|---|', ...e.result.robustness.results.map((r) => `| ${r.perturbation} | ${md(String(r.level))} | ${fmt(r.metric)} | ${fmt(r.delta)} |`), '']
      : [],
  );
  const warnings = [...new Set(evaluations.flatMap((e) => e.result.warnings))];
  const sensitive = [...new Set(evaluations.flatMap((e) => Object.keys(e.result.fairness ?? {})))];

  const body = [
    `# Model card: ${md(title)}`,
    '',
    `Generated by ptp ${md(TOOL_VERSION)} from the model file${evaluations.length ? ` and ${evaluations.length} evaluation run${evaluations.length > 1 ? 's' : ''}` : ''}. Sections marked ✍️ need a person.`,
    '',
    ...section('Model details', details, 'who developed the model, when, and how to contact them; the license (the front matter says `other` until you set it).'),
    ...section('Intended use', [], 'the primary intended uses and users, and the uses that are out of scope.'),
    ...section('Factors', sensitive.length ? [`Evaluated across: ${sensitive.map(md).join(', ')} (see Quantitative analyses).`, ''] : [], 'the groups, instruments and environments whose performance matters for this model, and why.'),
    ...section('Metrics', evaluations.length ? [`Reported: ${[...new Set(evaluations.flatMap((e) => scalarMetrics(e.result).map(([k]) => k)))].map(md).join(', ')} (scikit-learn's definitions; fairness as fairlearn defines it).`, ''] : [], evaluations.length ? undefined : 'which metrics matter and why (no evaluation is attached yet: `ptp evaluate MODEL --data … --save`).'),
    ...section('Evaluation data', evaluations.map((e) => `- ${md(e.data.name)}: ${e.result.samples} rows, sha256 \`${e.data.sha256 || 'unknown'}\``), 'where the evaluation data comes from and how it was chosen or preprocessed.'),
    ...section('Training data', [], 'the training data (or as much as can be shared) and its preprocessing.'),
    ...section('Quantitative analyses', [...metrics, ...fairness, ...robustness].length ? [...metrics, ...fairness, ...robustness] : ['No evaluation attached.', ''], undefined),
    ...section('Ethical considerations', [], 'sensitive data used, risks and harms, and what was done to mitigate them.'),
    ...section('Caveats and recommendations', warnings.map((w) => `- ${md(w)}`), 'known limitations and recommendations for users.'),
  ];
  const markdown = `---\n${stringify(frontMatter)}---\n\n${body.join('\n')}`;
  return { markdown, front_matter: frontMatter, placeholders };
}
