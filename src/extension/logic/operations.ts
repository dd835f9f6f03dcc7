/**
 * The operations manifest: every operation's name and the command ids it registers. The composition root
 * activates one module per name (`satisfies Record<OperationName, …>`), and a unit test checks these ids against
 * package.json `contributes`. No vscode.
 */
import { DISTILL_COMMANDS } from '../distill/logic/distill-ids';
import { EVALUATION_COMMANDS } from '../evaluation/logic/evaluation-ids';
import { EXPLAIN_COMMANDS } from '../explain/logic/explain-ids';
import { GRAPH_COMMANDS } from '../graph/logic/graph-ids';
import { MONITOR_COMMANDS } from '../monitor/logic/monitor-ids';
import { PIPELINE_COMMANDS } from '../pipeline/logic/pipeline-ids';
import { OPTIMIZE_COMMANDS } from '../optimize/logic/optimize-ids';
import { PREDICT_COMMANDS } from '../predict/logic/predict-ids';
import { PRUNE_COMMANDS } from '../prune/logic/prune-ids';
import { QUANTIZE_COMMANDS } from '../quantize/logic/quantize-ids';
import { REGISTRY_COMMANDS } from '../registry/logic/registry-ids';
import { SERVING_COMMANDS } from '../serving/logic/serving-ids';
import { WELCOME_COMMANDS } from '../welcome/logic/welcome-ids';
import { COMMANDS } from './ids';

export const OPERATIONS = {
  model: COMMANDS,
  graph: GRAPH_COMMANDS,
  evaluation: EVALUATION_COMMANDS,
  predict: PREDICT_COMMANDS,
  monitor: MONITOR_COMMANDS,
  quantize: QUANTIZE_COMMANDS,
  optimize: OPTIMIZE_COMMANDS,
  explain: EXPLAIN_COMMANDS,
  prune: PRUNE_COMMANDS,
  distill: DISTILL_COMMANDS,
  registry: REGISTRY_COMMANDS,
  serving: SERVING_COMMANDS,
  welcome: WELCOME_COMMANDS,
  pipeline: PIPELINE_COMMANDS,
} as const satisfies Record<string, Readonly<Record<string, string>>>;

export type OperationName = keyof typeof OPERATIONS;

/** The command ids of `name`, or of every operation. */
export function declaredCommands(name?: OperationName): string[] {
  const names = name ? [name] : (Object.keys(OPERATIONS) as OperationName[]);
  return names.flatMap((n) => Object.values(OPERATIONS[n]));
}
