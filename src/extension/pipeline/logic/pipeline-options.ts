/**
 * The scripted arguments of the pipeline commands: `ptp.pipeline.run` (uri, { approve?, force?, only? }) and
 * `ptp.pipeline.approve` / `ptp.pipeline.reject` (file|uri, stageId, { comment?, by? }). No vscode.
 */
import { CommandArgumentsError } from '../../shared/logic/command-args';

export interface RunChoices {
  readonly approve?: readonly string[] | 'all';
  readonly force?: boolean;
  readonly only?: readonly string[];
}

const stringList = (command: string, key: string, v: unknown): string[] => {
  const list = typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v;
  if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && x !== '')) throw new CommandArgumentsError(command, `${key} must be a list of stage ids`);
  return list as string[];
};

export function parseRunArgs(command: string, args: Readonly<Record<string, unknown>>): RunChoices {
  for (const k of Object.keys(args)) if (!['approve', 'force', 'only'].includes(k)) throw new CommandArgumentsError(command, `unknown option ${k} (approve, force, only)`);
  const { approve, force, only } = args;
  if (force !== undefined && typeof force !== 'boolean') throw new CommandArgumentsError(command, 'force must be true or false');
  return {
    ...(approve === 'all' ? { approve: 'all' as const } : approve !== undefined ? { approve: stringList(command, 'approve', approve) } : {}),
    ...(force ? { force: true } : {}),
    ...(only !== undefined ? { only: stringList(command, 'only', only) } : {}),
  };
}

export interface DecisionChoices {
  readonly comment?: string;
  readonly by?: string;
}

export function parseDecisionArgs(command: string, args: Readonly<Record<string, unknown>>): DecisionChoices {
  for (const k of Object.keys(args)) if (!['comment', 'by'].includes(k)) throw new CommandArgumentsError(command, `unknown option ${k} (comment, by)`);
  const { comment, by } = args;
  if (comment !== undefined && typeof comment !== 'string') throw new CommandArgumentsError(command, 'comment must be a string');
  if (by !== undefined && (typeof by !== 'string' || by.trim() === '')) throw new CommandArgumentsError(command, 'by must be a non-empty string');
  return { ...(comment ? { comment } : {}), ...(by ? { by } : {}) };
}

/** "Run to here" on a stage: the ids of the stages up to and including it, in file order. */
export function stagesUpTo(ids: readonly string[], id: string): string[] {
  const i = ids.indexOf(id);
  return i < 0 ? [] : ids.slice(0, i + 1);
}
