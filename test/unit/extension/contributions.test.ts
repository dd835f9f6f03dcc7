/**
 * package.json ↔ code: what the manifest contributes (commands, menus, submenus, keybindings, custom editors,
 * settings and their nls keys) agrees with the operations list (src/extension/logic/operations.ts) and with the
 * places in src/extension that register commands. A command contributed but never registered, registered but not
 * contributed, or missing its title fails here, before any VS Code starts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { declaredCommands, OPERATIONS } from '../../../src/extension/logic/operations';
import { REPO_ROOT } from '../../helpers/paths';

interface Command {
  readonly command: string;
  readonly title?: string;
  readonly category?: string;
}
interface MenuItem {
  readonly command?: string;
  readonly submenu?: string;
  readonly when?: string;
}
interface Manifest {
  readonly contributes: {
    readonly commands: readonly Command[];
    readonly menus: Readonly<Record<string, readonly MenuItem[]>>;
    readonly submenus?: readonly { id: string; label: string }[];
    readonly keybindings?: readonly { command: string; key: string }[];
    readonly customEditors?: readonly { viewType: string; displayName: string }[];
    readonly configuration?: unknown;
    readonly walkthroughs?: readonly { id: string; steps: readonly { id: string; media: { markdown?: string }; completionEvents?: readonly string[]; description: string }[] }[];
  };
}

const manifestText = readFileSync(join(REPO_ROOT, 'package.json'), 'utf8');
const manifest = JSON.parse(manifestText) as Manifest;
const nls = JSON.parse(readFileSync(join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;
const contributed = manifest.contributes.commands.map((c) => c.command);

/** Every .ts file under src/extension. */
function sources(dir = join(REPO_ROOT, 'src', 'extension')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/** `<IDS>.<key>` at every place a command is registered: registerCommand(…) or a runner spec's `command:`. */
function registrationSites(): { file: string; ids: string; key: string }[] {
  const sites: { file: string; ids: string; key: string }[] = [];
  for (const file of sources()) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/registerCommand\(\s*([^,)]+)|^\s*command:\s*([^,\n]+),/gm)) {
      const expr = (m[1] ?? m[2] ?? '').trim();
      if (expr === 'spec.command') continue; // the runner's own registerCommand
      const ref = /^(\w*COMMANDS)\.(\w+)$/.exec(expr);
      assert.ok(ref, `${relative(REPO_ROOT, file)}: a command is registered as ${expr}; use an id of the operations list (<AREA>_COMMANDS.<name>)`);
      sites.push({ file: relative(REPO_ROOT, file), ids: ref[1]!, key: ref[2]! });
    }
  }
  return sites;
}

describe('package.json contributions ↔ the operations list', () => {
  it('every contributed command is declared by exactly one operation, and every declared command is contributed', () => {
    const declared = declaredCommands();
    assert.deepEqual(declared.filter((c) => !contributed.includes(c)), [], 'declared by an operation but not contributed in package.json');
    assert.deepEqual(contributed.filter((c) => !declared.includes(c)), [], 'contributed in package.json but declared by no operation');
    assert.equal(new Set(declared).size, declared.length, 'a command id is declared twice');
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  });

  it('every place that registers a command names an id the operations list declares', () => {
    const sites = registrationSites();
    assert.ok(sites.length >= contributed.length - 1, `found only ${sites.length} registration sites`);
    const keys = new Set(Object.values(OPERATIONS).flatMap((ids) => Object.keys(ids)));
    for (const s of sites) assert.ok(keys.has(s.key), `${s.file} registers ${s.ids}.${s.key}, which no operation declares`);
    const registered = new Set(sites.map((s) => s.key));
    for (const [name, ids] of Object.entries(OPERATIONS)) {
      for (const key of Object.keys(ids)) assert.ok(registered.has(key), `operation ${name} declares ${key} but no code registers it`);
    }
  });

  it('every command has a title and a category, and every %key% of the manifest is in package.nls.json', () => {
    for (const c of manifest.contributes.commands) {
      assert.ok(c.title, `${c.command} has no title`);
      assert.ok(c.category, `${c.command} has no category`);
    }
    const keys = [...manifestText.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]!);
    assert.ok(keys.length > contributed.length, 'the manifest uses nls keys');
    for (const key of keys) assert.ok(typeof nls[key] === 'string' && nls[key]!.trim() !== '', `package.nls.json has no text for %${key}%`);
  });

  it('menus, submenus and keybindings only name contributed commands and submenus', () => {
    const submenus = new Set((manifest.contributes.submenus ?? []).map((s) => s.id));
    for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
      for (const item of items) {
        if (item.command) assert.ok(contributed.includes(item.command), `menu ${menu} names ${item.command}, which is not contributed`);
        else assert.ok(item.submenu && submenus.has(item.submenu), `menu ${menu} has an item that is neither a contributed command nor a submenu: ${JSON.stringify(item)}`);
      }
    }
    for (const id of submenus) assert.ok(id in manifest.contributes.menus, `submenu ${id} has no menu of its own`);
    for (const k of manifest.contributes.keybindings ?? []) assert.ok(contributed.includes(k.command), `keybinding ${k.key} names ${k.command}, which is not contributed`);
  });

  it('the command palette hides nothing it should show: every hidden command is hidden on purpose (when: false or a context)', () => {
    for (const item of manifest.contributes.menus.commandPalette ?? []) {
      assert.ok(item.when !== undefined, `commandPalette entry for ${item.command} without a when clause does nothing`);
    }
  });

  it('the walkthrough: each step ticks off on a contributed command, its button runs one, its markdown is shipped', () => {
    const walkthroughs = manifest.contributes.walkthroughs ?? [];
    assert.equal(walkthroughs.length, 1);
    const ignore = readFileSync(join(REPO_ROOT, '.vscodeignore'), 'utf8');
    for (const step of walkthroughs[0]!.steps) {
      for (const ev of step.completionEvents ?? []) {
        const m = /^onCommand:(.+)$/.exec(ev);
        assert.ok(m && contributed.includes(m[1]!), `step ${step.id} completes on ${ev}, not a contributed command`);
      }
      const description = nls[step.description.replace(/^%|%$/g, '')] ?? step.description;
      for (const m of description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(contributed.includes(m[1]!), `step ${step.id}'s button runs ${m[1]}, not a contributed command`);
      assert.ok(step.media.markdown && readFileSync(join(REPO_ROOT, step.media.markdown), 'utf8').trim(), `step ${step.id} has its markdown`);
      assert.match(step.media.markdown!, /^media\//, 'shipped with media/** in the .vsix');
    }
    for (const f of ['digits_mlp.onnx', 'digits_test.csv', 'digits_train.csv']) assert.ok(ignore.includes(`!examples/digits/${f}`), `the .vsix ships examples/digits/${f} for Open the Example Model`);
  });
});
