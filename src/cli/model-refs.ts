/**
 * `NAME@VERSION` / `NAME@ALIAS` wherever a command takes a model: before any command runs, its model arguments
 * (`<model>`, `<models...>`, `<teacher>`) that are registry references are replaced by the stored file of that
 * version, so every operation works on registered models unchanged. The registry is `--registry DIR` (a global
 * option), else $PTP_REGISTRY, else `.ptp/registry` under the current directory.
 *
 * A registered file lives inside the registry, and nothing may be written beside it: when such a command writes a
 * model or a trace and no `-o` is given, the default output goes to the current directory instead, named after
 * the reference (`digits-v2.int8.onnx`), and `evaluate --save` attaches the run to the version.
 */
import type { Command } from 'commander';
import * as path from 'node:path';
import type { QuantizeMode } from '../protocol/quantize';
import { DEFAULT_REGISTRY_DIR, isRegistryRef, Registry, type Resolved } from '../pipeline/registry';
import { defaultOutputPath } from '../pipeline/shared/output-name';

const MODEL_ARGUMENTS = new Set(['model', 'models', 'teacher']);

/** Stored file (absolute) → the reference it was resolved from. */
const resolvedRefs = new Map<string, { readonly ref: string; readonly resolved: Resolved; readonly registry: Registry }>();

/** The registry folder for this invocation. */
export function registryDir(cmd: Command): string {
  const fromFlag = (cmd.optsWithGlobals() as { registry?: string }).registry;
  return path.resolve(fromFlag ?? process.env.PTP_REGISTRY ?? DEFAULT_REGISTRY_DIR);
}

/** The registry reference a model argument came from, when it came from one. */
export function registryRefFor(file: string): { ref: string; resolved: Resolved; registry: Registry } | undefined {
  return resolvedRefs.get(path.resolve(file));
}

/** The default output of a model-writing command whose model is a registry version: in the current directory. */
function defaultOutputFor(command: string, resolved: Resolved, opts: Record<string, unknown>): string | undefined {
  const stem = path.resolve(`${resolved.version.name}-v${resolved.version.version}.onnx`);
  switch (command) {
    case 'quantize':
      return defaultOutputPath('quantize', stem, ((opts.mode as QuantizeMode | undefined) ?? 'dynamic'));
    case 'optimize':
      return defaultOutputPath('optimize', stem);
    case 'prune':
      return defaultOutputPath('prune', stem);
    case 'distill':
      return defaultOutputPath('distill', stem);
    case 'profile':
      return path.resolve(`${resolved.version.name}-v${resolved.version.version}.profile.json`);
    default:
      return undefined;
  }
}

export function installModelRefs(program: Command): void {
  program.option('--registry <dir>', `model registry folder for NAME@VERSION / NAME@ALIAS references (default $PTP_REGISTRY or ${DEFAULT_REGISTRY_DIR})`);
  program.hook('preAction', async (_root, command) => {
    const args = command.registeredArguments;
    const values = command.processedArgs as unknown[];
    let first: Resolved | undefined;
    for (let i = 0; i < args.length; i++) {
      if (!MODEL_ARGUMENTS.has(args[i]!.name())) continue;
      const resolveOne = async (v: unknown): Promise<unknown> => {
        if (typeof v !== 'string' || !isRegistryRef(v)) return v;
        const registry = Registry.at(registryDir(command));
        const resolved = await registry.resolve(v);
        resolvedRefs.set(path.resolve(resolved.file), { ref: v, resolved, registry });
        first ??= resolved;
        return resolved.file;
      };
      values[i] = Array.isArray(values[i]) ? await Promise.all((values[i] as unknown[]).map(resolveOne)) : await resolveOne(values[i]);
    }
    if (first && command.options.some((o) => o.attributeName() === 'output') && command.getOptionValue('output') === undefined) {
      const output = defaultOutputFor(command.name(), first, command.opts());
      if (output) command.setOptionValue('output', output);
    }
  });
}
