/**
 * `ptp export triton|kserve|mlflow MODEL|NAME@REF -o OUT`: a serving platform's files, generated from the model's I/O signature
 * and written as a whole folder (src/pipeline/export). For a registered version, the repository's model name and
 * version default to the registry's.
 */
import type { Command } from 'commander';
import { exportDocker, exportKServe, exportMlflow, exportTriton } from '../../pipeline/export';
import { ortVersion } from '../../pipeline/runtime';
import { registryRefFor } from '../model-refs';
import { positiveInt } from '../options';
import { printResult, progress, UsageError } from '../output';

const FORMATS = ['triton', 'kserve', 'mlflow', 'docker'] as const;

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(`Write what a serving platform loads (${FORMATS.join(', ')}), generated from the model's own inputs and outputs.`)
    .argument('<format>', FORMATS.join(' | '))
    .argument('<model>', 'path to a .onnx file, or NAME@VERSION / NAME@ALIAS')
    .requiredOption('-o, --output <dir>', 'triton: the model repository to write the model into (created if needed); kserve, mlflow: the folder to write')
    .option('--name <name>', 'model name in the repository (default: the registry name, else the file name)')
    .option('--version <n>', 'version folder (default: the registry version, else 1)', positiveInt)
    .option('--max-batch-size <n>', 'max_batch_size when the model batches (every input and output has a dynamic first dimension)', positiveInt, 32)
    .option('--max-queue-delay-us <n>', 'dynamic batching: longest a request waits for others, in microseconds', positiveInt, 100)
    .option('--instances <n>', 'model instances on the CPU (instance_group count)', positiveInt, 1)
    .option('--storage-uri <uri>', 'kserve: where the model folder is uploaded (s3://…, gs://…, pvc://…)')
    .option('--canary-percent <p>', 'kserve: canaryTrafficPercent of this revision', positiveInt)
    .option('--cpu <n>', 'kserve: CPU request and limit', '1')
    .option('--memory <size>', 'kserve: memory request and limit', '2Gi')
    .option('--runtime <runtime>', 'docker: the server in the image: ptp (ptp serve on Node, default) or triton')
    .option('--force', 'replace what OUT holds for this model')
    .option('--json', 'print one JSON document')
    .action(async (format: string, model: string, o: { output: string; name?: string; version?: number; maxBatchSize: number; maxQueueDelayUs: number; instances: number; storageUri?: string; canaryPercent?: number; cpu: string; memory: string; runtime?: string; force?: boolean; json?: boolean }) => {
      if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`unknown export format "${format}" (available: ${FORMATS.join(', ')})`);
      const ref = registryRefFor(model)?.resolved.version;
      const onProgress = { onProgress: (p: { message?: string }) => p.message && progress(p.message) };
      if (format === 'kserve') {
        if (!o.storageUri) throw new UsageError('export kserve needs --storage-uri URI (where the model folder will be uploaded)');
        const k = await exportKServe(model, o.output, { name: o.name ?? ref?.name, storageUri: o.storageUri, canaryPercent: o.canaryPercent, cpu: o.cpu, memory: o.memory, force: o.force }, onProgress);
        printResult(k, o.json, (x) => `Wrote the KServe InferenceService ${x.name} to ${x.output}: upload model/ to ${o.storageUri}, then kubectl apply -f ${x.output}/inferenceservice.yaml`);
        return;
      }
      if (format === 'docker') {
        if (o.runtime !== undefined && o.runtime !== 'triton' && o.runtime !== 'ptp') throw new UsageError(`--runtime must be triton or ptp, got "${o.runtime}"`);
        const d = await exportDocker(model, o.output, { name: o.name ?? ref?.name, version: o.version ?? ref?.version, maxBatchSize: o.maxBatchSize, maxQueueDelayUs: o.maxQueueDelayUs, instances: o.instances, force: o.force, runtime: o.runtime as 'triton' | 'ptp' | undefined }, onProgress);
        printResult(d, o.json, (x) => `Wrote the Docker build context ${x.output} (${x.runtime === 'ptp' ? 'ptp serve' : 'Triton'} on ${x.image}): docker build -t ${x.name.toLowerCase()} ${x.output} && docker run -p 8000:8000 -p 8001:8001 ${x.name.toLowerCase()}`);
        return;
      }
      if (format === 'mlflow') {
        const m = await exportMlflow(model, o.output, { force: o.force, onnxruntimeVersion: ortVersion() }, onProgress);
        printResult(m, o.json, (x) => `Wrote the MLflow model ${x.output} (${x.files.join(', ')}): mlflow.pyfunc.load_model("${x.output}")`);
        return;
      }
      const r = await exportTriton(
        model,
        o.output,
        { name: o.name ?? ref?.name, version: o.version ?? ref?.version, maxBatchSize: o.maxBatchSize, maxQueueDelayUs: o.maxQueueDelayUs, instances: o.instances, force: o.force },
        { onProgress: (p) => p.message && progress(p.message) },
      );
      printResult(r, o.json, (x) =>
        [
          `Wrote the Triton repository ${x.output}: ${x.name}, version ${x.version}, max_batch_size ${x.max_batch_size}`,
          ...x.inputs.map((t) => `  input  ${t.name}  ${t.data_type}  [${t.dims.join(', ')}]`),
          ...x.outputs.map((t) => `  output ${t.name}  ${t.data_type}  [${t.dims.join(', ')}]`),
        ].join('\n'),
      );
    });
}
