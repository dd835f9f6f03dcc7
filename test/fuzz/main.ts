/**
 * npm run fuzz -- [--iterations N] [--seed S] [--stride K] [--time-limit MS]
 * npm run fuzz -- --cli N [--seed S]          (N mutated models through the CLI's entry; see cliFuzz)
 * Runs the model-reader fuzzer (harness.ts) for longer than the unit test does; failing inputs are saved under
 * test/fixtures/fuzz/ (commit them: the unit test replays them). Exit 1 when anything failed.
 */
import { fuzz, seedCorpus } from './harness';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} takes a number`);
  return v;
}

async function run(): Promise<void> {
  const iterations = flag('iterations', 20000);
  const seed = flag('seed', Date.now() % 100000);
  if (process.argv.includes('--cli')) {
    if ((await cliFuzz(flag('cli', 10000), seed)) > 0) process.exitCode = 1;
    return;
  }
  const seeds = seedCorpus(flag('stride', 10));
  console.log(`fuzz: ${iterations} inputs from ${seeds.length} models, seed ${seed}`);
  const r = await fuzz({ iterations, seed, seeds, timeLimitMs: flag('time-limit', 5000) });
  console.log(
    `fuzz: ${r.iterations} inputs in ${(r.ms / 1000).toFixed(1)} s (${r.inputsPerSecond.toFixed(0)}/s): ${r.ok} read fine, ${r.rejected} rejected cleanly, ` +
      `${r.failures.length} failures; slowest input ${r.maxInputMs.toFixed(0)} ms, heap growth ${(r.heapGrowthBytes / 2 ** 20).toFixed(0)} MiB`,
  );
  for (const f of r.failures) console.log(`  #${f.iteration} ${f.source} [${f.kinds.join('+')}]: ${f.reason}${f.file ? ` → ${f.file}` : ''}`);
  if (r.failures.length) process.exitCode = 1;
}

void run();

/**
 * `--cli N`: N mutated models written to a temp folder and run through the CLI's own entry (`main` of
 * src/cli/main.ts, in process: the same parsing, error printing and exit codes as `ptp inspect --json` and
 * `ptp validate --no-runtime`); every exit must be 0 or a clean 2 (one line naming the file, no stack).
 */
export async function cliFuzz(iterations: number, seed: number): Promise<number> {
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { main } = await import('../../src/cli/main');
  const { mutate, rng } = await import('./harness');
  const seeds = seedCorpus(10);
  const random = rng(seed);
  const dir = mkdtempSync(join(tmpdir(), 'ptp-cli-fuzz-'));
  const counts = { 0: 0, 2: 0 } as Record<number, number>;
  let bad = 0;
  const t0 = performance.now();
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  try {
    for (let i = 0; i < iterations; i++) {
      const s = seeds[Math.floor(random() * seeds.length)]!;
      const file = join(dir, `m${i % 16}.onnx`);
      writeFileSync(file, mutate(s.bytes, random).bytes);
      for (const args of [['inspect', file, '--json'], ['validate', file, '--no-runtime']]) {
        let stderr = '';
        process.stdout.write = (() => true) as typeof process.stdout.write;
        process.stderr.write = ((c: string | Uint8Array) => ((stderr += String(c)), true)) as typeof process.stderr.write;
        let code: number;
        try {
          code = await main(args);
        } finally {
          process.stdout.write = out;
          process.stderr.write = err;
          process.exitCode = 0;
        }
        counts[code] = (counts[code] ?? 0) + 1;
        const clean = code === 0 || (code === 2 && stderr.split('\n')[0]!.includes(file) && !/\n\s+at /.test(stderr));
        if (!clean) {
          bad++;
          if (bad <= 20) console.log(`  #${i} ${s.name} ptp ${args[0]}: exit ${code}: ${stderr.slice(0, 300)}`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ms = performance.now() - t0;
  console.log(`cli fuzz: ${iterations} models × (inspect --json, validate) in ${(ms / 1000).toFixed(1)} s: exit codes ${JSON.stringify(counts)}, ${bad} unclean`);
  return bad;
}
