/**
 * `ptp registry add|list|show|alias|unalias|lineage|compare|remove`: the workspace model registry
 * (src/pipeline/registry). The registry folder is the global `--registry DIR` (default .ptp/registry under the
 * current directory). JSON keys are the contract README "The model registry" documents.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { formatRef, parseRef, Registry, scalarMetrics, type EvaluationRecord, type VersionRecord } from '../../pipeline/registry';
import { registryDir } from '../model-refs';
import { printResult, progress, UsageError } from '../output';

const collect = (v: string, acc: string[]): string[] => [...acc, v];

function tag(v: string, acc: Record<string, string>): Record<string, string> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected key=value, got "${v}"`);
  return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
}

function versionNumber(v: string): number {
  const m = /^v?([1-9]\d*)$/.exec(v);
  if (!m) throw new InvalidArgumentError(`expected a version number, got "${v}"`);
  return Number(m[1]);
}

const registryOf = (cmd: Command): Registry => Registry.at(registryDir(cmd));

/** The latest evaluation of each side, preferring a pair on the same data. */
function pairEvaluations(a: readonly EvaluationRecord[], b: readonly EvaluationRecord[]): [EvaluationRecord | undefined, EvaluationRecord | undefined] {
  for (const ea of [...a].reverse()) {
    const eb = [...b].reverse().find((e) => e.data.sha256 !== '' && e.data.sha256 === ea.data.sha256);
    if (eb) return [ea, eb];
  }
  return [a.at(-1), b.at(-1)];
}

const summary = (e: EvaluationRecord) => ({ id: e.id, created: e.created, data: e.data, task: e.task, samples: e.samples, metrics: e.metrics });

export function registerRegistryCommands(program: Command): void {
  const registry = program.command('registry').description('The workspace model registry: versions, lineage, aliases, attached evaluations.');

  registry
    .command('add')
    .description('Register a model file as a new version of NAME (or return the version that already has its sha256).')
    .argument('<model>', 'path to a .onnx file (or NAME@REF of a registered version)')
    .requiredOption('--name <name>', 'model name in the registry')
    .option('--alias <alias>', 'point this alias at the version (repeatable)', collect, [])
    .option('--tag <key=value>', 'version tag (repeatable)', tag, {})
    .option('--description <text>', 'description of the model (kept from the first registration) and of this version')
    .option('--json', 'print one JSON document')
    .action(async (file: string, o: { name: string; alias: string[]; tag: Record<string, string>; description?: string; json?: boolean }, cmd: Command) => {
      const r = await registryOf(cmd).add(file, { name: o.name, aliases: o.alias, tags: o.tag, ...(o.description ? { description: o.description } : {}) }, { onProgress: (p) => p.message && progress(p.message) });
      const { file: stored, ...json } = r;
      printResult(json, o.json, () =>
        [
          `${r.existing ? 'Already registered' : 'Registered'}: ${formatRef(r.name, r.version)} (sha256 ${r.sha256.slice(0, 12)}…, ${r.size_bytes} bytes) → ${stored}`,
          r.parent ? `  parent: ${formatRef(r.parent.name, r.parent.version)}${r.lineage ? ` (${r.lineage.operation})` : ''}` : r.lineage ? `  lineage: ${r.lineage.operation} of an unregistered model` : '',
          r.aliases.length ? `  aliases: ${r.aliases.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      );
    });

  registry
    .command('list')
    .description('Every model with its aliases and versions.')
    .option('--json', 'print one JSON document')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const reg = registryOf(cmd);
      const models = [];
      for (const name of await reg.names()) {
        const m = await reg.model(name);
        const versions = (await reg.versions(name)).map((v) => ({ version: v.version, sha256: v.sha256, created: v.created, parent: v.parent }));
        models.push({ name, aliases: m.aliases, versions });
      }
      printResult({ models }, o.json, (r) =>
        r.models.length === 0
          ? `The registry ${reg.root} has no models.`
          : r.models
              .map((m) => {
                const byVersion = (v: number) => Object.entries(m.aliases).filter(([, x]) => x === v).map(([a]) => `@${a}`);
                return [`${m.name}`, ...m.versions.map((v) => `  v${v.version}  ${v.created}  ${v.sha256.slice(0, 12)}${v.parent ? `  ← ${formatRef(v.parent.name, v.parent.version)}` : ''}  ${byVersion(v.version).join(' ')}`.trimEnd())].join('\n');
              })
              .join('\n'),
      );
    });

  registry
    .command('show')
    .description('One version: its record, aliases, lineage chain and attached evaluations.')
    .argument('<ref>', 'NAME, NAME@VERSION or NAME@ALIAS')
    .option('--json', 'print one JSON document')
    .action(async (ref: string, o: { json?: boolean }, cmd: Command) => {
      const reg = registryOf(cmd);
      const { model, version, file } = await reg.resolve(ref);
      const aliases = Object.entries(model.aliases).filter(([, v]) => v === version.version).map(([a]) => a).sort();
      const evaluations = (await reg.evaluations(version.name, version.version)).map(summary);
      const result = { ...version, path: file, aliases, lineage_chain: await reg.lineage(formatRef(version.name, version.version)), evaluations, alias_history: model.alias_history.filter((m) => m.from === version.version || m.to === version.version) };
      printResult(result, o.json, (r) => showText(r, r.aliases, r.evaluations));
    });

  registry
    .command('alias')
    .description('Point ALIAS of NAME at VERSION (the move is recorded: who, when, from, to).')
    .argument('<name>', 'model name')
    .argument('<version>', 'version number', versionNumber)
    .argument('<alias>', 'alias, e.g. champion or challenger')
    .option('--json', 'print one JSON document')
    .action(async (name: string, version: number, alias: string, o: { json?: boolean }, cmd: Command) => {
      const move = await registryOf(cmd).setAlias(name, version, alias);
      printResult({ name, ...move }, o.json, (m) => `${m.name}@${m.alias} → v${m.to}${m.from !== null ? ` (was v${m.from})` : ''}`);
    });

  registry
    .command('unalias')
    .description('Remove ALIAS from NAME (recorded in the alias history).')
    .argument('<name>', 'model name')
    .argument('<alias>', 'alias')
    .option('--json', 'print one JSON document')
    .action(async (name: string, alias: string, o: { json?: boolean }, cmd: Command) => {
      const move = await registryOf(cmd).removeAlias(name, alias);
      printResult({ name, ...move }, o.json, (m) => `${m.name}@${m.alias} removed (was v${m.from})`);
    });

  registry
    .command('lineage')
    .description('From a version back to its root: which operation made each model from which.')
    .argument('<ref>', 'NAME@VERSION or NAME@ALIAS')
    .option('--json', 'print one JSON document')
    .action(async (ref: string, o: { json?: boolean }, cmd: Command) => {
      const chain = await registryOf(cmd).lineage(ref);
      printResult({ chain }, o.json, (r) =>
        r.chain
          .map((l, i) => `${'  '.repeat(i)}${l.name !== null ? formatRef(l.name, l.version!) : `(unregistered ${l.sha256.slice(0, 12)}…)`}${l.operation ? `  ← ${l.operation} ${JSON.stringify(l.params)}` : ''}`)
          .join('\n'),
      );
    });

  registry
    .command('compare')
    .description('Two versions side by side: the metrics of their attached evaluations (on the same data when both have one).')
    .argument('<a>', 'NAME@VERSION or NAME@ALIAS')
    .argument('<b>', 'NAME@VERSION or NAME@ALIAS')
    .option('--json', 'print one JSON document')
    .action(async (a: string, b: string, o: { json?: boolean }, cmd: Command) => {
      const reg = registryOf(cmd);
      const [ra, rb] = [await reg.resolve(a), await reg.resolve(b)];
      const [ea, eb] = pairEvaluations(await reg.evaluations(ra.version.name, ra.version.version), await reg.evaluations(rb.version.name, rb.version.version));
      const ma = ea ? scalarMetrics(ea.result.metrics) : {};
      const mb = eb ? scalarMetrics(eb.result.metrics) : {};
      const names = [...new Set([...Object.keys(ma), ...Object.keys(mb)])];
      const side = (r: typeof ra, e: EvaluationRecord | undefined) => ({ name: r.version.name, version: r.version.version, sha256: r.version.sha256, size_bytes: r.version.size_bytes, evaluation: e ? summary(e) : null });
      const result = {
        a: side(ra, ea),
        b: side(rb, eb),
        same_data: !!ea && !!eb && ea.data.sha256 !== '' && ea.data.sha256 === eb.data.sha256,
        size_ratio: ra.version.size_bytes > 0 ? rb.version.size_bytes / ra.version.size_bytes : null,
        metrics: names.map((metric) => ({ metric, a: ma[metric] ?? null, b: mb[metric] ?? null, delta: ma[metric] !== undefined && mb[metric] !== undefined ? mb[metric]! - ma[metric]! : null })),
      };
      printResult(result, o.json, (r) =>
        [
          `${formatRef(r.a.name, r.a.version)} vs ${formatRef(r.b.name, r.b.version)}${r.same_data ? ` on ${r.a.evaluation!.data.name}` : r.a.evaluation && r.b.evaluation ? ' (different data)' : ''}`,
          `  size: ${r.a.size_bytes} → ${r.b.size_bytes} bytes${r.size_ratio !== null ? ` (×${r.size_ratio.toFixed(3)})` : ''}`,
          ...(r.metrics.length ? r.metrics.map((m) => `  ${m.metric.padEnd(22)} ${fmt(m.a).padStart(10)} ${fmt(m.b).padStart(10)} ${m.delta !== null ? (m.delta >= 0 ? '+' : '') + m.delta.toFixed(4) : ''}`) : ['  no attached evaluations (ptp evaluate NAME@REF … --save attaches one)']),
        ].join('\n'),
      );
    });

  registry
    .command('remove')
    .description('Remove a version (refused while an alias points to it).')
    .argument('<ref>', 'NAME@VERSION')
    .option('--json', 'print one JSON document')
    .action(async (ref: string, o: { json?: boolean }, cmd: Command) => {
      if (typeof parseRef(ref).ref !== 'number') throw new UsageError(`registry remove takes NAME@VERSION (a version number), got "${ref}"`);
      const removed = await registryOf(cmd).remove(ref);
      printResult({ removed }, o.json, (r) => `Removed ${formatRef(r.removed.name, r.removed.version)}`);
    });
}

const fmt = (v: number | null): string => (v === null ? '—' : Math.abs(v) >= 1000 ? v.toFixed(0) : v.toFixed(4));

function showText(v: VersionRecord & { path: string; lineage_chain: { name: string | null; version: number | null; operation: string | null }[] }, aliases: readonly string[], evaluations: readonly ReturnType<typeof summary>[]): string {
  const lines = [
    `${formatRef(v.name, v.version)}${aliases.length ? `  (${aliases.map((a) => `@${a}`).join(' ')})` : ''}`,
    `  sha256   ${v.sha256}`,
    `  size     ${v.size_bytes} bytes`,
    `  created  ${v.created}`,
    `  file     ${v.path}`,
    `  from     ${v.source}`,
  ];
  if (v.description) lines.push(`  about    ${v.description}`);
  if (Object.keys(v.tags).length) lines.push(`  tags     ${Object.entries(v.tags).map(([k, x]) => `${k}=${x}`).join(', ')}`);
  if (v.lineage) lines.push(`  made by  ${v.lineage.operation} ${JSON.stringify(v.lineage.params)}`);
  if (v.lineage_chain.length > 1) lines.push(`  lineage  ${v.lineage_chain.map((l) => (l.name !== null ? formatRef(l.name, l.version!) : '(unregistered)')).join(' ← ')}`);
  for (const e of evaluations) lines.push(`  eval     ${e.created} on ${e.data.name} (${e.samples} rows): ${Object.entries(e.metrics).slice(0, 4).map(([k, x]) => `${k} ${fmt(x)}`).join(', ')}`);
  return lines.join('\n');
}
