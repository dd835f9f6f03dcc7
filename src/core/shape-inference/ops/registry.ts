import type { NodeCtx } from '../context';

export type Rule = (c: NodeCtx) => void;

/** Operator rules by `domain:op_type` (default domain written as ''). */
export const RULES = new Map<string, Rule>();

export function rule(ops: string | readonly string[], fn: Rule, domain = ''): void {
  for (const op of typeof ops === 'string' ? [ops] : ops) RULES.set(`${domain}:${op}`, fn);
}
