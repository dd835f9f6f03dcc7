/**
 * Register Model… choices: the model name (suggested from the file: a registered file's own name, else its stem
 * made into a valid name), aliases, description and tags; from the pickers or from a script's arguments object
 * `{ name, aliases?, description?, tags? }`. No vscode.
 */
import * as path from 'node:path';
import { NAME_PATTERN } from '../../../pipeline/registry/types';
import { CommandArgumentsError } from '../../shared/logic/command-args';

export interface RegisterChoices {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** A valid model name for a file: `digits_mlp.int8.onnx` → `digits_mlp`. */
export function suggestName(file: string): string {
  const base = path.basename(file).replace(/\.onnx$/i, '').split('.')[0] ?? 'model';
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
  return cleaned || 'model';
}

/** The message under the name box, or undefined when `text` is a valid model name. */
export function nameProblem(text: string, what = 'model name'): string | undefined {
  return NAME_PATTERN.test(text) ? undefined : `A ${what} is letters, digits, ".", "_" and "-", starting with a letter or digit (at most 128).`;
}

export function parseRegisterArgs(command: string, x: Record<string, unknown>): RegisterChoices {
  const fail = (detail: string): never => {
    throw new CommandArgumentsError(command, detail);
  };
  const name = x.name;
  if (typeof name !== 'string' || nameProblem(name)) fail(`"name" must be a model name (letters, digits, ".", "_", "-"), got ${JSON.stringify(name)}`);
  const aliases = x.aliases ?? (x.alias !== undefined ? [x.alias] : []);
  if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string' || nameProblem(a, 'alias'))) fail('"aliases" must be an array of alias names');
  if (x.description !== undefined && typeof x.description !== 'string') fail('"description" must be a string');
  const tags = x.tags;
  if (tags !== undefined && (typeof tags !== 'object' || tags === null || Array.isArray(tags) || Object.values(tags).some((v) => typeof v !== 'string'))) fail('"tags" must be an object of strings');
  return {
    name: name as string,
    aliases: aliases as string[],
    ...(typeof x.description === 'string' ? { description: x.description } : {}),
    ...(tags ? { tags: tags as Record<string, string> } : {}),
  };
}
