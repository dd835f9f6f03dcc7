/**
 * npm run fuzz -- [--iterations N] [--seed S] [--stride K] [--time-limit MS]
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

async function main(): Promise<void> {
  const iterations = flag('iterations', 20000);
  const seed = flag('seed', Date.now() % 100000);
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

void main();
