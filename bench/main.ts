/**
 * Benchmarks entry (bundled to dist/bench.js). `npm run bench -- <name> [options]`
 * = `node --expose-gc dist/bench.js <name> [options]`. Each benchmark lives in its own file and exports
 * `description`, `run(args)` (the report, in the parent) and `variants` (the measured operations, each run
 * in a fresh child process through the hidden `__child` sub-command, see ./child.ts).
 */
import { CHILD_COMMAND, runChild, type Variant } from './child';
import * as driftBench from './drift';
import * as evaluateBench from './evaluate';
import * as explainBench from './explain';
import * as graphBench from './graph';
import * as graphCheck from './graph-check';
import * as inspectBench from './inspect';
import * as pruneBench from './prune';
import * as quantizeBench from './quantize';
import * as serveBench from './serve';

interface Bench {
  readonly description: string;
  run(args: readonly string[]): Promise<number>;
  readonly variants: Readonly<Record<string, Variant>>;
}

const BENCHES: Readonly<Record<string, Bench>> = {
  inspect: inspectBench,
  quantize: quantizeBench,
  prune: pruneBench,
  evaluate: evaluateBench,
  explain: explainBench,
  graph: graphBench,
  'graph-check': graphCheck,
  serve: serveBench,
  drift: driftBench,
};

function usage(): string {
  const names = Object.entries(BENCHES).map(([n, b]) => `  ${n.padEnd(10)} ${b.description}`);
  return ['usage: npm run bench -- <benchmark> [options]', '', 'benchmarks:', ...names].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === CHILD_COMMAND) {
    const [benchName, variantName, ...args] = rest;
    const variant = BENCHES[benchName]?.variants[variantName];
    if (!variant) {
      console.error(`bench: no variant ${benchName}/${variantName}`);
      return 2;
    }
    await runChild(variant, args);
    return 0;
  }
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const bench = BENCHES[name];
  if (!bench) {
    console.error(`bench: unknown benchmark '${name}'\n\n${usage()}`);
    return 2;
  }
  return bench.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    // A child exits from its IPC send callback; don't race it.
    if (process.argv[2] !== CHILD_COMMAND) process.exitCode = code;
    else if (code !== 0) process.exit(code);
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : e);
    process.exit(3);
  },
);
