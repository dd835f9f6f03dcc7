/**
 * Model references: everywhere a model path is accepted, `NAME@VERSION` and `NAME@ALIAS` name a registered
 * version instead (MLflow's `models:/name@alias` without the scheme). A string is a reference only when it has the
 * shape NAME@REF and is not an existing file, so a file whose name contains `@` still opens as a file.
 */
import { existsSync } from 'node:fs';
import { RegistryError } from './errors';
import { NAME_PATTERN, type ParsedRef } from './types';

/** Alias names that would read as something else. */
const RESERVED_ALIASES = new Set(['latest']);

export function checkName(name: string, what: 'model name' | 'alias'): void {
  if (!NAME_PATTERN.test(name)) {
    throw new RegistryError('bad-name', `"${name}" is not a valid ${what}: use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 128).`);
  }
  if (what === 'alias' && (/^\d+$/.test(name) || name.startsWith('v') && /^v\d+$/.test(name) || RESERVED_ALIASES.has(name))) {
    throw new RegistryError('bad-name', `"${name}" cannot be an alias: it reads as a version (use a word such as champion or challenger).`);
  }
}

/** `NAME`, `NAME@3`, `NAME@v3`, `NAME@champion` → its parts (NAME alone: the latest version). */
export function parseRef(text: string): ParsedRef {
  const at = text.lastIndexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const ref = at < 0 ? undefined : text.slice(at + 1);
  if (!NAME_PATTERN.test(name) || ref === '') throw new RegistryError('bad-ref', `"${text}" is not a model reference: expected NAME, NAME@VERSION or NAME@ALIAS.`);
  if (ref === undefined || ref === 'latest') return { name };
  const m = /^v?(\d+)$/.exec(ref);
  if (m) return { name, ref: Number(m[1]) };
  if (!NAME_PATTERN.test(ref)) throw new RegistryError('bad-ref', `"${text}": "${ref}" is neither a version number nor an alias.`);
  return { name, ref };
}

/** Whether a model argument names a registry version (NAME@REF, not an existing file). */
export function isRegistryRef(arg: string): boolean {
  const at = arg.lastIndexOf('@');
  if (at <= 0 || at === arg.length - 1) return false;
  if (existsSync(arg)) return false;
  return NAME_PATTERN.test(arg.slice(0, at)) && /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(arg.slice(at + 1));
}

export function formatRef(name: string, version: number): string {
  return `${name}@${version}`;
}
