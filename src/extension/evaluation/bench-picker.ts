/** Benchmark Model: which batch sizes to time (1, 8 and 32 are checked, so Enter takes them). */
import * as vscode from 'vscode';
import { DEFAULT_BENCH_BATCH_SIZES, type BenchChoices } from './logic/evaluation-options';

const OFFERED = [1, 2, 4, 8, 16, 32, 64, 128, 256, 1024];

export async function pickBatchSizes(title: string): Promise<BenchChoices | undefined> {
  const items = OFFERED.map((n) => ({ label: String(n), description: n === 1 ? 'single-row latency' : undefined, picked: DEFAULT_BENCH_BATCH_SIZES.includes(n), value: n }));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Batch sizes to time (models with a fixed batch size use theirs)',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return { batchSizes: picked.length ? picked.map((i) => i.value) : DEFAULT_BENCH_BATCH_SIZES };
}
