/**
 * The `mlp` student as an ONNX graph: [Cast] → [Flatten] → (Gemm → activation)* → Gemm on the teacher's input,
 * then a head that makes it a drop-in for the teacher — the teacher's output names and types: logits as they are,
 * probabilities through Softmax, sklearn's label output through ArgMax + Gather of the class labels and its ZipMap
 * output through the same ZipMap, regression values reshaped to the teacher's rank. Glorot-uniform weights from the seed.
 */
import { longToNumber, toLong } from '../../core/long';
import { onnx } from '../../core/proto/onnx';
import { DataType } from '../../core/tensor/dtypes';
import type { Rng32 } from '../shared/rng';
import { makeIntAttr } from '../shared/nodes';
import { floatTensor, int64Vector, tensorProtoOf } from '../shared/tensors';
import { DistillError } from './errors';
import type { TrainingRows } from './rows';
import type { StudentGraph } from './student';
import type { TeacherHead } from './teacher';
import type { Node, TensorProto, ValueInfo } from '../../core/onnx-types';


const OPSET = 13;
const P = 'student';

export interface MlpOptions {
  readonly hidden: readonly number[];
  readonly activation: 'relu' | 'tanh';
}

/** Builds the MLP student for `teacher` (its proto gives the input / output declarations and any ZipMap). */
export function buildMlp(teacher: onnx.ModelProto, rows: TrainingRows, head: TeacherHead, options: MlpOptions, rng: Rng32, file: string): StudentGraph {
  const g = teacher.graph!;
  const inputInfo = (g.input ?? []).find((i) => i.name === rows.input)!;
  const nodes: Node[] = [];
  const inits: TensorProto[] = [];
  const warnings: string[] = [];
  let x = rows.input;
  if (rows.inputType !== DataType.FLOAT) {
    nodes.push({ name: `${P}_cast`, opType: 'Cast', input: [x], output: [`${P}/input_float`], attribute: [makeIntAttr('to', DataType.FLOAT)] });
    x = `${P}/input_float`;
  }
  if (rows.rowShape.length !== 1) {
    nodes.push({ name: `${P}_flatten`, opType: 'Flatten', input: [x], output: [`${P}/flat`], attribute: [makeIntAttr('axis', 1)] });
    x = `${P}/flat`;
  }
  const outWidth = head.kind === 'classes' ? (head.oneColumn ? 1 : head.numClasses) : head.width;
  const widths = [rows.width, ...options.hidden, outWidth];
  const act = options.activation === 'tanh' ? 'Tanh' : 'Relu';
  const outInfo = (name: string): ValueInfo => (g.output ?? []).find((o) => o.name === name) ?? { name };
  const teacherOut = head.kind === 'regression' ? head.output : head.oneColumn ? head.scoreOutput : '';
  const flatOutput = teacherOut !== '' && outInfo(teacherOut).type?.tensorType?.shape?.dim?.length === 1;
  const scores = scoresName(head, flatOutput);
  for (let l = 0; l + 1 < widths.length; l++) {
    const fanIn = widths[l]!;
    const fanOut = widths[l + 1]!;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) w[i] = (rng.nextFloat() * 2 - 1) * limit;
    const wName = `${P}/fc${l + 1}/weight`;
    const bName = `${P}/fc${l + 1}/bias`;
    inits.push(floatTensor(wName, DataType.FLOAT, [fanIn, fanOut], w), floatTensor(bName, DataType.FLOAT, [fanOut], new Float32Array(fanOut)));
    const last = l + 2 === widths.length;
    const y = last ? scores : `${P}/fc${l + 1}`;
    nodes.push({ name: `${P}_fc${l + 1}`, opType: 'Gemm', input: [x, wName, bName], output: [y] });
    x = y;
    if (!last) {
      nodes.push({ name: `${P}_${act.toLowerCase()}${l + 1}`, opType: act, input: [x], output: [`${P}/${act.toLowerCase()}${l + 1}`] });
      x = `${P}/${act.toLowerCase()}${l + 1}`;
    }
  }
  const outputs: ValueInfo[] = [];
  const declared = outInfo;
  const opsets = [{ domain: '', version: toLong(OPSET) }];
  let tail = '';
  if (head.kind === 'regression') {
    const info = declared(head.output);
    if (flatOutput) {
      if (head.width !== 1) throw new DistillError('bad-teacher', `output '${head.output}' is 1-D but gave ${head.width} values per row`, file);
      inits.push(int64Vector(`${P}/flat_shape`, [-1]));
      nodes.push({ name: `${P}_reshape`, opType: 'Reshape', input: [scores, `${P}/flat_shape`], output: [head.output] });
    }
    outputs.push(info);
  } else {
    // The teacher's score tensor: its own output, or the probabilities its ZipMap reads.
    if (head.oneColumn) {
      // One column: the positive class's logit, through a Sigmoid when the teacher gives a probability; 1-D if the teacher's is.
      let y = scores;
      if (head.transform === 'none') {
        y = flatOutput ? `${P}/probability` : head.scoreOutput;
        nodes.push({ name: `${P}_sigmoid`, opType: 'Sigmoid', input: [scores], output: [y] });
        tail = ' → Sigmoid';
      }
      if (flatOutput) {
        inits.push(int64Vector(`${P}/flat_shape`, [-1]));
        nodes.push({ name: `${P}_reshape`, opType: 'Reshape', input: [y, `${P}/flat_shape`], output: [head.scoreOutput] });
      }
    } else if (head.transform === 'none') {
      nodes.push({ name: `${P}_softmax`, opType: 'Softmax', input: [scores], output: [head.scoreOutput], attribute: [makeIntAttr('axis', 1)] });
      tail = ' → Softmax';
    } else if (scores !== head.scoreOutput) {
      nodes.push({ name: `${P}_scores`, opType: 'Identity', input: [scores], output: [head.scoreOutput] });
    }
    if (!head.zipmap) outputs.push(declared(head.scoreOutput));
    if (head.labelOutput) {
      const info = declared(head.labelOutput);
      const elem = info.type?.tensorType?.elemType ?? DataType.INT64;
      const labels = head.classLabels ?? head.space.names.map((_, i) => i);
      const classes =
        elem === DataType.STRING
          ? tensorProtoOf(`${P}/classes`, { dataType: DataType.STRING, dims: [labels.length], size: labels.length, values: labels.map(String) })
          : tensorProtoOf(`${P}/classes`, { dataType: DataType.INT64, dims: [labels.length], size: labels.length, values: BigInt64Array.from(labels.map((v) => BigInt(Number(v)))) });
      if (elem !== DataType.STRING && elem !== DataType.INT64) {
        throw new DistillError('bad-teacher', `the teacher's label output '${head.labelOutput}' has element type ${elem}; the student writes INT64 or STRING labels`, file);
      }
      if (elem !== DataType.STRING && labels.some((v) => !Number.isInteger(Number(v)))) {
        throw new DistillError('bad-teacher', `the teacher's class labels (${labels.join(', ')}) are not integers but its label output is INT64`, file);
      }
      inits.push(classes);
      nodes.push({ name: `${P}_argmax`, opType: 'ArgMax', input: [scores], output: [`${P}/class_index`], attribute: [makeIntAttr('axis', 1), makeIntAttr('keepdims', 0)] });
      nodes.push({ name: `${P}_label`, opType: 'Gather', input: [`${P}/classes`, `${P}/class_index`], output: [head.labelOutput], attribute: [makeIntAttr('axis', 0)] });
      outputs.unshift(info);
    }
    if (head.zipmap) {
      const teacherZip = (g.node ?? []).find((n) => n.opType === 'ZipMap' && n.output?.[0] === head.zipmap!.removedOutput)!;
      nodes.push({ name: `${P}_zipmap`, opType: 'ZipMap', domain: 'ai.onnx.ml', input: [head.scoreOutput], output: [head.zipmap.removedOutput], attribute: teacherZip.attribute ?? [] });
      outputs.push(declared(head.zipmap.removedOutput));
      opsets.push({ domain: 'ai.onnx.ml', version: toLong(1) });
    }
  }
  const kept = new Set(outputs.map((o) => o.name));
  const dropped = (g.output ?? []).filter((o) => !kept.has(o.name));
  if (dropped.length) warnings.push(`the student does not reproduce the teacher's output(s) ${dropped.map((o) => `'${o.name}'`).join(', ')}`);
  // Keep the teacher's output order.
  const order = new Map((g.output ?? []).map((o, i) => [o.name, i]));
  outputs.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));

  const proto = onnx.ModelProto.create({
    irVersion: toLong(8),
    producerName: 'ptp distill',
    opsetImport: opsets,
    graph: { name: 'student', node: nodes, initializer: inits, input: [inputInfo], output: outputs },
  });
  const inDesc = rows.rowShape.length === 1 ? String(rows.width) : `${rows.rowShape.join('×')} → Flatten`;
  const architecture = `${inDesc} → ${options.hidden.map((h) => `${h} → ${act}`).join(' → ')} → ${outWidth}${tail}`;
  return {
    proto,
    input: rows.input,
    scores,
    architecture,
    inputNorm: { weight: `${P}/fc1/weight`, bias: `${P}/fc1/bias` },
    ...(head.kind === 'regression' ? { outputNorm: { weight: `${P}/fc${widths.length - 1}/weight`, bias: `${P}/fc${widths.length - 1}/bias` } } : {}),
    warnings,
  };
}

/** The tensor the last Gemm writes: the teacher's logits output itself when it has one, else an inner name. */
function scoresName(head: TeacherHead, flatOutput: boolean): string {
  if (head.kind === 'regression') return flatOutput ? `${P}/values` : head.output;
  return head.transform === 'softmax' && !head.zipmap && !(head.oneColumn && flatOutput) ? head.scoreOutput : `${P}/logits`;
}

/** The default hidden widths: half the teacher's first layer width, at least 8 (16 when the teacher has no such layer). */
export function defaultHidden(teacher: onnx.ModelProto): number[] {
  const g = teacher.graph;
  const inits = new Map((g?.initializer ?? []).map((t) => [t.name ?? '', t]));
  for (const n of g?.node ?? []) {
    const w = n.input?.[1] ? inits.get(n.input[1]) : undefined;
    if (!w || !['Gemm', 'MatMul', 'Conv'].includes(n.opType ?? '')) continue;
    const dims = (w.dims ?? []).map((d) => longToNumber(d));
    let width = 0;
    if (n.opType === 'Conv') width = dims[0] ?? 0;
    else if (n.opType === 'Gemm') width = (n.attribute ?? []).some((a) => a.name === 'transB' && longToNumber(a.i) === 1) ? (dims[0] ?? 0) : (dims[1] ?? 0);
    else width = dims[dims.length - 1] ?? 0;
    return [Math.max(8, Math.round(width / 2))];
  }
  return [16];
}
