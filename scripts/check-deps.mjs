#!/usr/bin/env node
// npm run lint:deps — the architecture's rules on the resolved import graph (dependency-cruiser), by folder:
//   1. the layers: core ← pipeline ← protocol ← cli / extension; webview apps see only the protocol (types) and
//      their own shared code; the rules are in .dependency-cruiser.cjs;
//   2. no folder-level cycles: folders are src/<layer>/<area> and webview/<app>; an import cycle between two such
//      folders (a ↔ b, directly or through others) fails, even when no single file cycle exists.
// Exit 1 with one line per violation; exit 0 and a one-line summary otherwise.
import { cruise } from 'dependency-cruiser';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const config = require('../.dependency-cruiser.cjs');

const result = await cruise(['src', 'webview'], {
  ...config.options,
  ruleSet: { forbidden: config.forbidden },
  validate: true,
});
const output = result.output;
const problems = [];
for (const v of output.summary.violations) problems.push(`${v.rule.name}: ${v.from} → ${v.to}`);

/**
 * The folder a module belongs to for the cycle rule: an area of a layer (src/<layer>/<area>, webview/<app>). Files
 * directly in a layer's root (its index, the composition root, the CLI's main) are the layer's entry and take
 * no part; nor does the extension's operations manifest (logic/operations.ts), which lists every operation's ids
 * the way the composition root lists their modules.
 */
const ENTRIES = new Set(['src/extension/logic/operations.ts']);
function folderOf(file) {
  if (ENTRIES.has(file)) return undefined;
  const parts = file.split('/');
  if (parts[0] === 'webview') return parts.length > 2 ? `webview/${parts[1]}` : undefined;
  if (parts[0] === 'src') return parts.length > 3 ? `src/${parts[1]}/${parts[2]}` : undefined;
  return undefined;
}

const edges = new Map();
const examples = new Map();
for (const m of output.modules) {
  const from = folderOf(m.source);
  if (!from) continue;
  for (const d of m.dependencies) {
    const to = d.coreModule || d.couldNotResolve ? undefined : folderOf(d.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Set());
    edges.get(from).add(to);
    const key = `${from}→${to}`;
    if (!examples.has(key)) examples.set(key, `${m.source} → ${d.resolved}`);
  }
}

// Tarjan's strongly connected components over the folder graph.
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
let counter = 0;
function visit(v) {
  index.set(v, counter);
  low.set(v, counter++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) === index.get(v)) {
    const c = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      c.push(w);
    } while (w !== v);
    if (c.length > 1) components.push(c.sort());
  }
}
for (const v of edges.keys()) if (!index.has(v)) visit(v);
for (const c of components) {
  const inside = new Set(c);
  const links = c.flatMap((a) => [...(edges.get(a) ?? [])].filter((b) => inside.has(b)).map((b) => `    ${examples.get(`${a}→${b}`)}`));
  problems.push(`folder cycle: ${c.join(' ↔ ')}\n${links.join('\n')}`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`lint:deps: ${problems.length} problem(s)`);
  process.exit(1);
}
console.log(`lint:deps: ${output.summary.totalCruised} modules, ${edges.size} folders: layers respected, no folder-level cycles`);
