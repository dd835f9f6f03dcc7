#!/usr/bin/env node
// The end-to-end demo: runs the built CLI (`node dist/cli.js`) on the shipped example model and prints what
// each step found. `npm run demo` builds first; `node scripts/demo.mjs [model.onnx]` runs on another model.
//
// The demo is a list of steps. Each step runs one `ptp` command, checks its exit code, parses its `--json`
// output and prints a short human summary: inspect, validate, sample, evaluate, quantize, prune (+ fine-tune), distill,
// monitor, and the example pipeline (on a copy in a temp folder).
// Exit code: 0 when every step passed, 1 otherwise.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.PTP_DEMO_CLI ?? join(root, 'dist', 'cli.js'); // override: another build of the CLI
const model = process.argv[2] ?? join(root, 'examples', 'digits', 'digits_mlp.onnx');
const notOnnx = join(root, 'examples', 'digits', 'digits_test.csv');
const data = process.env.PTP_DEMO_DATA ?? (process.argv[2] ? null : notOnnx); // held-out data of the shipped model
const train = process.argv[2] ? null : join(root, 'examples', 'digits', 'digits_train.csv'); // its training split
const scratch = mkdtempSync(join(tmpdir(), 'ptp-demo-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const rel = (p) => relative(process.cwd(), p) || p;

// The example pipeline runs on a copy (its registry and run folders are written beside the pipeline file).
const pipelineFile = process.argv[2] ? null : join(scratch, 'pipeline', 'ptp.pipeline.yaml');
if (pipelineFile) {
  mkdirSync(join(scratch, 'pipeline'), { recursive: true });
  mkdirSync(join(scratch, 'digits'), { recursive: true });
  for (const f of ['ptp.pipeline.yaml', 'digits_shifted.csv']) copyFileSync(join(root, 'examples', 'pipeline', f), join(scratch, 'pipeline', f));
  for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) copyFileSync(join(root, 'examples', 'digits', f), join(scratch, 'digits', f));
}

const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (s) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
const bold = paint('1');
const green = paint('32');
const red = paint('31');
const dim = paint('2');

// ---------------------------------------------------------------------------------------------- formatting

const fmtInt = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));
const fmtNum = (x) =>
  x === null || x === undefined ? '–' : Math.abs(x) >= 1e4 || (x !== 0 && Math.abs(x) < 1e-3) ? x.toExponential(3) : x.toFixed(4);
const fmtBytes = (b) =>
  b >= 1 << 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : b >= 1 << 20 ? `${(b / 2 ** 20).toFixed(2)} MiB` : b >= 1024 ? `${(b / 1024).toFixed(1)} KiB` : `${b} B`;
const fmtShape = (shape) => (shape ? `[${shape.map((d) => (d === null ? '?' : d)).join(', ')}]` : '(unknown rank)');
const fmtValue = (v) => `${v.name}: ${v.elem_type ?? '?'} ${fmtShape(v.shape)}`;
const fmtOps = (hist) =>
  Object.entries(hist ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([op, n]) => `${op.replace(/^(ai\.onnx)?::/, '')}×${n}`)
    .join(' ');

// ---------------------------------------------------------------------------------------------- the steps

/**
 * A step: `args` for the CLI, the exit code it must give, and `summarize(json, run)`, which returns the
 * lines to print and throws when the output is not what the step expects.
 */
const STEPS = [
  {
    title: 'Inspect the model (structure only, weights stay on disk)',
    args: ['inspect', model, '--json'],
    summarize(r) {
      need(r, ['ir_version', 'opset_import', 'inputs', 'outputs', 'parameter_count', 'node_count']);
      const opsets = Object.entries(r.opset_import)
        .map(([d, v]) => `${d || 'ai.onnx'} ${v}`)
        .join(', ');
      const meta = Object.entries(r.metadata_props ?? {});
      return [
        `IR version ${r.ir_version}, opset ${opsets}`,
        `producer ${r.producer_name || '–'} ${r.producer_version || ''}`.trimEnd() + `, graph "${r.graph_name}"`,
        ...r.inputs.map((v) => `input   ${fmtValue(v)}`),
        ...r.outputs.map((v) => `output  ${fmtValue(v)}`),
        `nodes ${fmtInt(r.node_count)} (${fmtOps(r.op_histogram)})`,
        `parameters ${fmtInt(r.parameter_count)} in ${fmtInt(r.initializer_count)} initializers, ${fmtBytes(r.initializer_bytes ?? 0)}` +
          ((r.external_data?.length ?? 0) > 0 ? `, ${r.external_data.length} external` : ''),
        ...(meta.length ? ['metadata', ...meta.map(([k, v]) => `  ${k}: ${v.length > 70 ? `${v.slice(0, 69)}…` : v}`)] : []),
      ];
    },
  },
  {
    title: 'Validate the model (structural checks + onnxruntime session)',
    args: ['validate', model, '--json'],
    summarize(r) {
      need(r, ['valid', 'errors', 'warnings', 'findings']);
      const lines = [`verdict: ${r.valid ? green('valid') : red('INVALID')} — ${r.errors} error(s), ${r.warnings} warning(s)`];
      for (const f of r.findings.slice(0, 8)) {
        lines.push(`  ${f.severity.padEnd(7)} ${f.code}: ${f.message}`);
      }
      if (r.findings.length > 8) lines.push(`  … and ${r.findings.length - 8} more`);
      if (r.runtime) {
        const rt = r.runtime;
        lines.push(
          `runtime check: ${rt.ok ? green('onnxruntime loads the model') : red('onnxruntime refused the model')}` +
            (rt.ort_version ? ` (onnxruntime ${rt.ort_version})` : '') +
            (rt.message ? ` — ${rt.message}` : ''),
        );
      } else {
        lines.push('runtime check: not reported');
      }
      if (!r.valid) throw new StepError('the model is not valid', lines);
      if (r.runtime && !r.runtime.ok) throw new StepError('onnxruntime could not load the model', lines);
      return lines;
    },
  },
  {
    title: 'Run one sample inference (random inputs, symbolic dims = 1)',
    args: ['sample', model, '--json'],
    summarize(r) {
      need(r, ['inputs', 'outputs']);
      const tensor = (t) => {
        const s = t.stats;
        const stats = s
          ? `min ${fmtNum(s.min)}  max ${fmtNum(s.max)}  mean ${fmtNum(s.mean)}  std ${fmtNum(s.std)}` +
            (s.nan || s.inf ? red(`  nan ${s.nan} inf ${s.inf}`) : '')
          : 'non-numeric';
        return `${t.name}: ${t.elem_type} ${fmtShape(t.shape)}  ${stats}`;
      };
      const lines = [
        ...r.inputs.map((t) => `input   ${tensor(t)}`),
        ...r.outputs.map((t) => `output  ${tensor(t)}`),
      ];
      for (const t of r.outputs) {
        if (t.preview?.length) lines.push(`  ${t.name} first values: ${t.preview.slice(0, 10).map((v) => (typeof v === 'number' ? fmtNum(v) : v)).join(', ')}`);
      }
      const timing = [];
      if (typeof r.session_ms === 'number') timing.push(`session ${r.session_ms.toFixed(1)} ms`);
      if (r.run_ms?.length) timing.push(`run ${r.run_ms.map((x) => x.toFixed(2)).join('/')} ms`);
      if (r.ort_version) timing.push(`onnxruntime ${r.ort_version}`);
      if (timing.length) lines.push(timing.join(', '));
      const bad = r.outputs.filter((t) => t.stats && (t.stats.nan > 0 || t.stats.inf > 0));
      if (bad.length) throw new StepError(`non-finite values in ${bad.map((t) => t.name).join(', ')}`, lines);
      return lines;
    },
  },
  ...(data
    ? [
        {
          title: 'Evaluate on the held-out data (metrics as scikit-learn defines them)',
          args: ['evaluate', model, '--data', data, '--json'],
          summarize(r) {
            need(r, ['task', 'samples', 'metrics', 'latency']);
            const m = r.metrics;
            const lines = [
              `${r.task} on ${fmtInt(r.samples)} rows: accuracy ${fmtNum(m.accuracy)}, balanced accuracy ${fmtNum(m.balanced_accuracy)}, ` +
                `f1_macro ${fmtNum(m.f1_macro)}, log_loss ${fmtNum(m.log_loss)}` + (m.roc_auc_ovr_macro !== undefined ? `, roc_auc_ovr_macro ${fmtNum(m.roc_auc_ovr_macro)}` : ''),
              ...r.plan.map((p) => `  ${p}`),
              `latency: p50 ${r.latency.p50_ms.toFixed(2)} ms per batch of ${r.latency.batch_size}, ${fmtInt(Math.round(r.latency.rows_per_s))} rows/s overall`,
            ];
            if (!(m.accuracy > 0.9)) throw new StepError(`accuracy ${m.accuracy} is far below the recorded value`, lines);
            return lines;
          },
        },
        {
          title: 'Quantize to int8 (static QDQ, calibrated on the data) and re-evaluate',
          args: ['quantize', model, '--mode', 'static', '--data', data, '-o', join(scratch, 'model.int8.onnx'), '--json'],
          summarize(r) {
            need(r, ['size_bytes_before', 'size_bytes_after', 'metrics_before', 'metrics_after']);
            const worst = [...(r.nodes ?? [])].filter((n) => typeof n.activation_sqnr_db === 'number').slice(0, 3);
            const lines = [
              `size ${fmtBytes(r.size_bytes_before)} → ${fmtBytes(r.size_bytes_after)} (${(r.size_bytes_after / r.size_bytes_before).toFixed(2)}×; weights ${fmtBytes(r.weight_bytes_before)} → ${fmtBytes(r.weight_bytes_after)})`,
              `accuracy ${fmtNum(r.metrics_before.accuracy)} → ${fmtNum(r.metrics_after.accuracy)}, prediction agreement ${fmtNum(r.agreement)}`,
              ...worst.map((n) => `  ${n.name} (${n.op_type}): activation SQNR ${n.activation_sqnr_db.toFixed(1)} dB`),
            ];
            if (Math.abs(r.metrics_after.accuracy - r.metrics_before.accuracy) > 0.01) throw new StepError('int8 lost more than 1 point of accuracy', lines);
            return lines;
          },
        },
      ]
    : []),
  ...(data && train
    ? [
        {
          title: 'Prune half the weights (global magnitude), fine-tune on the training data, re-evaluate',
          args: ['prune', model, '--method', 'magnitude', '--scope', 'global', '--sparsity', '0.5', '--data', data, '--finetune', train, '--no-latency', '-o', join(scratch, 'model.pruned.onnx'), '--json'],
          summarize(r) {
            need(r, ['achieved_weight_sparsity', 'layers', 'metrics_before', 'metrics_after', 'finetune']);
            const lines = [
              `weight sparsity ${(100 * r.achieved_weight_sparsity).toFixed(1)}% (${r.layers.map((l) => `${l.name} ${(100 * l.sparsity).toFixed(0)}%`).join(', ')})`,
              `gzip size ${fmtBytes(r.compressed_bytes_before)} → ${fmtBytes(r.compressed_bytes_after)}; fine-tuned ${r.finetune.epochs_run} epochs on ${fmtInt(r.finetune.train_rows)} rows (zero weights kept at 0)`,
              `accuracy ${fmtNum(r.metrics_before.accuracy)} → ${fmtNum(r.metrics_after.accuracy)}, prediction agreement ${fmtNum(r.agreement)}`,
            ];
            if (Math.abs(r.achieved_weight_sparsity - 0.5) > 0.01) throw new StepError('sparsity is not 50%', lines);
            if (r.metrics_before.accuracy - r.metrics_after.accuracy > 0.02) throw new StepError('pruning lost more than 2 points of accuracy', lines);
            return lines;
          },
        },
        {
          title: 'Distill into a smaller MLP student (soft targets, early stopping) and compare',
          args: ['distill', model, '--data', train, '--student', 'mlp:16', '--eval-data', data, '--no-latency', '-o', join(scratch, 'model.student.onnx'), '--json'],
          summarize(r) {
            need(r, ['architecture', 'params_teacher', 'params_student', 'metrics_teacher', 'metrics_student', 'best_epoch']);
            const lines = [
              `student ${r.architecture}: ${fmtInt(r.params_teacher)} → ${fmtInt(r.params_student)} parameters; best epoch ${r.best_epoch} of ${r.epochs_run}`,
              `accuracy teacher ${fmtNum(r.metrics_teacher.accuracy)}, student ${fmtNum(r.metrics_student.accuracy)}, agreement ${fmtNum(r.agreement)}`,
            ];
            if (!(r.params_student < r.params_teacher)) throw new StepError('the student is not smaller', lines);
            if (!(r.metrics_student.accuracy > 0.9)) throw new StepError('the student is far below the teacher', lines);
            return lines;
          },
        },
      ]
    : []),
  ...(pipelineFile
    ? [
        {
          title: 'Monitor: the test data against a copy with brighter pixels, in chunks — drift per column, CBPE-estimated accuracy',
          args: ['monitor', '--reference', data, '--current', join(root, 'examples', 'pipeline', 'digits_shifted.csv'), '--model', model, '--chunk-size', '150', '--json'],
          summarize(r) {
            need(r, ['reference', 'chunks', 'alerts']);
            const lines = r.chunks.map(
              (c) => `chunk ${c.index} (rows ${c.start}–${c.end - 1}): ${c.drift.drifted_columns}/${c.drift.columns.length} columns drifted${c.drift.dataset_drift ? ' — dataset drift' : ''}; accuracy estimated ${fmtNum(c.estimated?.accuracy)} ± ${fmtNum(c.estimated?.sampling_error?.accuracy)}, realized ${fmtNum(c.realized?.accuracy)}`,
            );
            if (!r.chunks.every((c) => c.drift.dataset_drift)) throw new StepError('the brighter copy should drift in every chunk', lines);
            return [...lines, `${r.alerts} alerts`];
          },
        },
        {
          title: 'The pipeline as code: evaluate → quantize → evaluate → gate → approve → register → card → Triton → serve-check → drift',
          args: ['pipeline', 'run', pipelineFile, '--approve', 'all', '--json'],
          summarize(r) {
            need(r, ['name', 'run_id', 'status', 'stages', 'report']);
            const byId = Object.fromEntries(r.stages.map((x) => [x.id, x]));
            const lines = [
              r.stages.map((x) => `${x.id} ${x.status}`).join(', '),
              ...(byId.quality?.checks ?? []).map((c) => `gate: ${c.expr} → ${c.passed ? 'holds' : 'FAILS'} (${fmtNum(c.left)} vs ${fmtNum(c.right)})`),
              `registered ${byId.publish?.outputs.ref}; served answers differ from the file by at most ${fmtNum(byId.served?.outputs.max_abs_diff)} (p99 ${fmtNum(byId.served?.outputs.p99_ms)} ms)`,
              `drift against the brighter copy: ${byId.drift?.outputs.drifted_columns} of ${byId.drift?.outputs.n_columns} columns`,
              `reports: ${rel(r.report.html)}, ${rel(r.report.junit)}`,
            ];
            if (r.status !== 'passed') throw new StepError(`the run ${r.status}`, lines);
            return lines;
          },
        },
      ]
    : []),
  {
    title: 'A file that is not ONNX gives a clear error and exit code 2',
    args: ['inspect', notOnnx],
    expectExit: 2,
    summarize(_json, run) {
      const msg = run.stderr.trim().split('\n')[0] ?? '';
      if (!msg) throw new StepError('no error message on stderr', []);
      return [`stderr: ${msg}`];
    },
  },
];

// ---------------------------------------------------------------------------------------------- runner

class StepError extends Error {
  constructor(message, lines) {
    super(message);
    this.lines = lines;
  }
}

function need(obj, keys) {
  const missing = keys.filter((k) => !(k in obj));
  if (missing.length) throw new StepError(`JSON output lacks ${missing.join(', ')}`, []);
}

function runStep(step, index) {
  const cmd = ['ptp', ...step.args.map((a) => (a.includes('/') ? rel(a) : a))].join(' ');
  console.log(`\n${bold(`[${index + 1}/${STEPS.length}] ${step.title}`)}\n${dim(`$ ${cmd}`)}`);
  const t0 = performance.now();
  const run = spawnSync(process.execPath, [cli, ...step.args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  const ms = performance.now() - t0;
  const expectExit = step.expectExit ?? 0;
  const fail = (why, lines = []) => {
    for (const l of lines) console.log(`  ${l}`);
    console.log(`  ${red('FAIL')} ${why} ${dim(`(${ms.toFixed(0)} ms)`)}`);
    const err = run.stderr?.trim();
    if (err && expectExit === 0) console.log(dim(err.split('\n').slice(0, 12).map((l) => `  | ${l}`).join('\n')));
    return false;
  };
  if (run.error) return fail(`could not run the CLI: ${run.error.message}`);
  if (run.status !== expectExit) {
    return fail(`exit code ${run.status ?? run.signal}, expected ${expectExit}`);
  }
  let json;
  if (step.args.includes('--json')) {
    try {
      json = JSON.parse(run.stdout);
    } catch (e) {
      return fail(`stdout is not JSON (${e.message}): ${run.stdout.slice(0, 120)}`);
    }
  }
  try {
    const lines = step.summarize(json, run);
    for (const l of lines) console.log(`  ${l}`);
    console.log(`  ${green('ok')} ${dim(`(exit ${run.status}, ${ms.toFixed(0)} ms)`)}`);
    return true;
  } catch (e) {
    if (e instanceof StepError) return fail(e.message, e.lines);
    return fail(`summary failed: ${e.stack ?? e}`);
  }
}

function main() {
  if (!existsSync(cli)) {
    console.error(`${red('demo:')} ${rel(cli)} is missing — build first (npm run demo builds, or node esbuild.mjs).`);
    process.exit(1);
  }
  if (!existsSync(model)) {
    console.error(`${red('demo:')} model ${rel(model)} not found (make it with /usr/bin/python3 examples/make_examples.py).`);
    process.exit(1);
  }
  console.log(bold(`ptp demo on ${rel(model)}`));
  const results = STEPS.map(runStep);
  const passed = results.filter(Boolean).length;
  const failed = results.length - passed;
  console.log(`\n${bold('demo:')} ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
