/**
 * The model-reader fuzzer (test/fuzz/harness.ts) in the unit run: a fixed-seed batch of 2,000 corrupted real models
 * through every reader with zero crashes, hangs or unclean errors, and every saved regression case
 * (test/fixtures/fuzz/*.onnx) replayed in process and through `ptp inspect --json` / `ptp validate` (exit 0 or a
 * clean exit 2 naming the file, never a stack trace). Longer runs: npm run fuzz -- --iterations N --seed S.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exercise, fuzz, FUZZ_FIXTURES, seedCorpus } from '../../fuzz/harness';
import { REPO_ROOT } from '../../helpers/paths';

const CLI = join(REPO_ROOT, 'dist', 'cli.js');
const cases = existsSync(FUZZ_FIXTURES) ? readdirSync(FUZZ_FIXTURES).filter((f) => f.endsWith('.onnx')).sort() : [];

describe('core: fuzzing the model readers', function () {
  this.timeout(300000);

  it('2,000 fixed-seed corruptions of real models: only success or a clean UserError, each input fast, bounded heap', async () => {
    const seeds = seedCorpus(25);
    assert.ok(seeds.length >= 10, `seed corpus: ${seeds.length} models`);
    const r = await fuzz({ iterations: 2000, seed: 20261207, seeds, timeLimitMs: 2000, heapLimitBytes: 512 << 20, save: false });
    console.log(`      ${r.iterations} inputs in ${(r.ms / 1000).toFixed(1)} s (${r.inputsPerSecond.toFixed(0)}/s): ${r.ok} read, ${r.rejected} rejected cleanly; slowest ${r.maxInputMs.toFixed(0)} ms`);
    assert.deepEqual(r.failures.map((f) => `#${f.iteration} ${f.source} [${f.kinds.join('+')}]: ${f.reason}`), []);
    assert.ok(r.ok > 0 && r.rejected > 0, 'the batch holds both readable and rejected inputs');
  });

  it('has saved regression cases', () => assert.ok(cases.length >= 4, `cases: ${cases.join(', ')}`));

  for (const file of cases) {
    it(`regression ${file}: clean in process and in the CLI`, async () => {
      const path = join(FUZZ_FIXTURES, file);
      await exercise(readFileSync(path), path);
      assert.ok(existsSync(CLI), `${CLI} is missing: run node esbuild.mjs first`);
      for (const args of [['inspect', path, '--json'], ['validate', path, '--no-runtime']]) {
        const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60000 });
        assert.ok(r.status === 0 || r.status === 2, `ptp ${args[0]} exited ${r.status}: ${r.stderr}`);
        if (r.status === 2 && args[0] === 'inspect') {
          const line = r.stderr.split('\n')[0] ?? '';
          assert.ok(line.includes(file), `the message names the file: ${line}`);
          assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace: ${r.stderr}`);
        }
      }
    });
  }
});
