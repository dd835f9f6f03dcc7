/**
 * `ptp card MODEL|NAME@REF [-o FILE] [--evaluation RUN.json]… [--json]`: the model card (src/pipeline/card). For a
 * registered version the registry's records, lineage chain and attached evaluations fill it; `--evaluation` adds
 * runs saved by `ptp evaluate --save`. Without -o the Markdown goes to stdout (nothing is written beside the model).
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { tempPath } from '../../core/temp-files';
import { modelCard, type CardInputs } from '../../pipeline/card';
import { formatRef, registryVersionOf } from '../../pipeline/registry';
import type { EvaluateResult } from '../../protocol/evaluate';
import { registryRefFor } from '../model-refs';
import { printJson, UsageError } from '../output';

const collect = (v: string, acc: string[]): string[] => [...acc, v];

async function savedRun(file: string): Promise<NonNullable<CardInputs['evaluations']>[number]> {
  let result: EvaluateResult;
  try {
    result = JSON.parse(await readFile(file, 'utf8')) as EvaluateResult;
  } catch (e) {
    throw new UsageError(`${file}: not an evaluation run saved by ptp evaluate --save (${(e as Error).message})`);
  }
  if (typeof result?.data !== 'string' || typeof result.task !== 'string') throw new UsageError(`${file}: not an evaluation run saved by ptp evaluate --save`);
  const sha256 = existsSync(result.data) ? createHash('sha256').update(await readFile(result.data)).digest('hex') : '';
  return { data: { file: result.data, name: path.basename(result.data), sha256 }, result };
}

export function registerCardCommand(program: Command): void {
  program
    .command('card')
    .description('Write the model card: Hugging Face front matter and the sections of "Model Cards for Model Reporting".')
    .argument('<model>', 'path to a .onnx file, or NAME@VERSION / NAME@ALIAS')
    .option('-o, --output <file>', 'write the card to this Markdown file (default: print it)')
    .option('--evaluation <run.json>', 'an evaluation run saved by ptp evaluate --save (repeatable)', collect, [])
    .option('--json', 'print one JSON document')
    .action(async (model: string, o: { output?: string; evaluation: string[]; json?: boolean }) => {
      const stored = registryRefFor(model) ?? (() => {
        const v = registryVersionOf(model);
        return v ? { registry: v.registry, ref: formatRef(v.name, v.version) } : undefined;
      })();
      let inputs: CardInputs = { model };
      if (stored) {
        const resolved = await stored.registry.resolve(stored.ref);
        const chain = await stored.registry.lineage(formatRef(resolved.version.name, resolved.version.version));
        const attached = await stored.registry.evaluations(resolved.version.name, resolved.version.version);
        inputs = { model, record: { model: resolved.model, version: resolved.version, chain }, evaluations: attached };
      }
      const extra = await Promise.all(o.evaluation.map(savedRun));
      inputs = { ...inputs, evaluations: [...(inputs.evaluations ?? []), ...extra] };
      const card = await modelCard(inputs);
      let output: string | undefined;
      if (o.output) {
        output = path.resolve(o.output);
        const tmp = tempPath(output);
        try {
          await writeFile(tmp, card.markdown);
          await rename(tmp, output);
        } catch (e) {
          await rm(tmp, { force: true });
          throw e;
        }
      }
      if (o.json) printJson({ model: path.resolve(model), ...(output ? { output } : {}), front_matter: card.front_matter, placeholders: card.placeholders, markdown: card.markdown });
      else if (output) console.log(`Wrote the model card ${output} (${card.placeholders.length} sections for a person to fill in: ${card.placeholders.join(', ')})`);
      else process.stdout.write(card.markdown);
    });
}
