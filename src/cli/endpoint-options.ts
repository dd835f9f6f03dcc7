/**
 * `--endpoint URL --model NAME[@VERSION] [--concurrency N]` on `evaluate`, `compare` and `predict`: the model is
 * the one served at an Open Inference Protocol endpoint (ptp serve, Triton, KServe). It becomes the model URL
 * `URL/v2/models/NAME[/versions/V]`, which the operations take wherever a model path goes.
 */
import { Option } from 'commander';
import { endpointModelUrl } from '../pipeline/serve/remote-model';
import { collect, positiveInt } from './options';
import { UsageError } from './output';

export interface EndpointFlags {
  endpoint?: string;
  model?: string[];
  concurrency?: number;
}

export const endpointOptions = {
  endpoint: () => new Option('--endpoint <url>', 'run the model served at this Open Inference Protocol (KServe V2) endpoint, e.g. http://127.0.0.1:8000'),
  model: () => new Option('--model <name>', 'with --endpoint: the served model, NAME or NAME@VERSION (compare: repeatable)').argParser(collect).default(undefined),
  concurrency: () => new Option('--concurrency <n>', 'with --endpoint: requests in flight at once (default 4)').argParser(positiveInt),
};

/** The model arguments of a command: its positional models, plus the endpoint's models when --endpoint is given. */
export function endpointModels(command: string, positional: readonly string[], o: EndpointFlags, { exactlyOne }: { exactlyOne: boolean }): string[] {
  const names = o.model ?? [];
  if (o.endpoint === undefined) {
    if (names.length) throw new UsageError(`${command}: --model names a model served at an endpoint; give --endpoint URL too`);
    if (o.concurrency !== undefined) throw new UsageError(`${command}: --concurrency applies to --endpoint`);
    if (!positional.length) throw new UsageError(`${command}: give a model file (or --endpoint URL --model NAME)`);
    return [...positional];
  }
  if (!names.length) throw new UsageError(`${command}: --endpoint needs --model NAME (the model's name at ${o.endpoint})`);
  if (o.concurrency === 0) throw new UsageError(`${command}: --concurrency must be at least 1`);
  if (exactlyOne && (positional.length || names.length > 1)) {
    throw new UsageError(`${command}: with --endpoint, give one --model and no model file (got ${[...positional, ...names].join(', ')})`);
  }
  const remote = names.map((n) => {
    const at = n.lastIndexOf('@');
    const [model, version] = at > 0 ? [n.slice(0, at), n.slice(at + 1)] : [n, undefined];
    try {
      new URL(o.endpoint!);
    } catch {
      throw new UsageError(`${command}: --endpoint "${o.endpoint}" is not a URL (like http://127.0.0.1:8000)`);
    }
    return endpointModelUrl({ url: o.endpoint!, model, ...(version ? { version } : {}) });
  });
  return [...positional, ...remote];
}
