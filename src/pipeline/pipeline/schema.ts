/**
 * The JSON Schema of `ptp.pipeline.yaml`, built from the stage table (kinds.ts) so the two cannot drift:
 * `schema/pipeline/ptp.pipeline.schema.json` is this object (`npm run gen:pipeline-schema` writes it; a unit test
 * checks the committed file), for editors' YAML validation and completion. Each kind's `with:` lists its options;
 * any option may instead be a string holding `${{ … }}`.
 */
import { STAGE_KINDS, UNAVAILABLE_STAGES } from '../../protocol/pipeline';
import { KINDS, type OptionType } from './kinds';

type Schema = Record<string, unknown>;

const EXPRESSION: Schema = { type: 'string', pattern: '\\$\\{\\{', description: 'a ${{ stages.<id>.<output> }} substitution' };

function optionSchema(t: OptionType): Schema {
  if (Array.isArray(t)) return { enum: [...t] };
  switch (t) {
    case 'string':
      return { type: ['string', 'number'] };
    case 'number':
      return { type: 'number' };
    case 'int':
      return { type: 'integer', minimum: 0 };
    case 'bool':
      return { type: 'boolean' };
    case 'list':
      return { anyOf: [{ type: 'string' }, { type: 'array', items: { type: ['string', 'number'] } }] };
    default:
      return { type: 'array', minItems: 1, items: { type: 'string', description: 'a check, e.g. stages.int8.size_ratio <= 0.5' } };
  }
}

export function pipelineSchema(): Schema {
  const perKind = STAGE_KINDS.filter((k) => !UNAVAILABLE_STAGES.includes(k)).map((kind) => {
    const spec = KINDS[kind];
    const properties = Object.fromEntries(Object.entries(spec.options).map(([name, t]) => [name, t === 'checks' ? optionSchema(t) : { anyOf: [optionSchema(t), EXPRESSION] }]));
    return {
      if: { properties: { run: { const: kind } }, required: ['run'] },
      then: { properties: { with: { type: 'object', additionalProperties: false, properties, ...(spec.required?.length ? { required: [...spec.required] } : {}) } } },
    };
  });
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://post-training-pipeline.dev/schema/pipeline/ptp.pipeline.schema.json',
    title: 'ptp pipeline file (ptp.pipeline.yaml)',
    description: 'A post-training pipeline: stages run in file order by `ptp pipeline run`. Option names in `with:` are the snake_case of the CLI flags of the command of the same name.',
    type: 'object',
    additionalProperties: false,
    required: ['version', 'name', 'model', 'stages'],
    properties: {
      version: { const: 1, description: 'Format version of this file.' },
      name: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'The pipeline name: its run state and outputs live under .ptp/pipelines/<name>/ next to this file.' },
      model: { type: 'string', minLength: 1, description: 'The model: a path relative to this file, or NAME@VERSION / NAME@ALIAS from the registry.' },
      registry: { type: 'string', minLength: 1, description: 'The registry folder, relative to this file (default .ptp/registry next to it).' },
      data: {
        type: 'object',
        additionalProperties: false,
        properties: {
          test: { type: 'string', description: 'Evaluation data (the default `data` of evaluate, quantize, prune, serve-check).' },
          calibration: { type: 'string', description: 'Calibration data (the default `calibration` of static quantization).' },
          train: { type: 'string', description: 'Training data (fine-tuning, distillation).' },
          label: { type: 'string', description: 'Label column (default: auto-detected: label/target/y).' },
          sensitive: { type: 'array', items: { type: 'string' }, description: 'Sensitive attributes: never fed to the model; fairness groups.' },
        },
      },
      stages: { type: 'array', minItems: 1, items: { $ref: '#/definitions/stage' } },
    },
    definitions: {
      stage: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'run'],
        properties: {
          id: { type: 'string', pattern: '^[A-Za-z][A-Za-z0-9_-]*$', description: 'Unique id; later stages read its outputs as stages.<id>.<output>.' },
          run: { enum: [...STAGE_KINDS], description: `The stage kind (${UNAVAILABLE_STAGES.join(', ')}: not available in this version).` },
          with: { type: 'object', description: "Options: the snake_case names of the CLI flags of that command; `${{ stages.<id>.<output> }}` substitutes an earlier stage's output." },
        },
        allOf: perKind,
      },
    },
  };
}
