/**
 * The `model` student: an ONNX model the user already has — typically a pruned copy of the teacher (`prune
 * --finetune`) — trained as it is, from its own weights. It must be a drop-in replacement of the teacher: the same
 * inputs and outputs (names, element types, fixed dimensions), and scores as wide as the teacher's. Anything else is a
 * DistillError('bad-student') saying what differs.
 */
import * as path from 'node:path';
import { inspect, isOnnxError, openModel, type OnnxModel } from '../../core';
import type { ValueSummary } from '../../core/report-types';
import { DistillError, isDistillError } from './errors';
import type { TrainableGraph } from './interpreter';
import type { TrainingRows } from './rows';
import type { StudentGraph } from './student';
import { describeLayers, scoresOf } from './student-graph';
import type { TeacherHead } from './teacher';
import { tf } from './tf';

/**
 * Opens the student file and checks it takes the teacher's inputs and gives its outputs (before any data is read).
 * The caller closes the returned model; its initializers are read from it while training and exporting.
 */
export async function openModelStudent(studentPath: string, teacher: OnnxModel): Promise<OnnxModel> {
  const file = path.resolve(studentPath);
  let model: OnnxModel;
  try {
    model = await openModel(file);
  } catch (e) {
    if (isOnnxError(e)) throw new DistillError('bad-student', `the student is not a readable ONNX model: ${e.message.replace(`${file}: `, '')}`, file);
    throw e;
  }
  const problem = ioMismatch(inspect(teacher), inspect(model));
  if (problem) {
    await model.close();
    throw new DistillError(
      'bad-student',
      `the student does not fit the teacher ${path.basename(teacher.file ?? 'teacher')}: ${problem}; a model student must take the teacher's inputs and give its outputs (same names, types and sizes)`,
      file,
    );
  }
  return model;
}

/** The opened student as the trainer sees it: the tensor to fit is the one the teacher's head says. */
export function modelStudentGraph(model: OnnxModel, head: TeacherHead): StudentGraph {
  const proto = model.proto;
  const file = model.file ?? 'student';
  const scores = scoresOf(proto, head, file, "the student's", "give the student the teacher's final layers");
  return { proto, input: inspect(model).inputs[0]!.name, scores, architecture: describeLayers(proto), warnings: [] };
}

/**
 * Runs the student on the first data row: scores of another width than the teacher's (or a graph the trainer cannot
 * run on the teacher's input) are refused before any training.
 */
export function checkStudentRuns(graph: TrainableGraph, scores: string, rows: TrainingRows, head: TeacherHead, file: string): void {
  const want = head.kind === 'classes' ? (head.oneColumn ? 1 : head.numClasses) : head.width;
  let got: number;
  try {
    got = tf.tidy(() => graph.forward(tf.tensor(rows.x.slice(0, rows.width), [1, ...rows.rowShape], 'float32')).size);
  } catch (e) {
    if (isDistillError(e)) throw e;
    throw new DistillError('bad-student', `the trainer cannot run the student on a row of ${rows.file}: ${(e as Error).message}`, file);
  }
  if (got !== want) {
    throw new DistillError('bad-student', `the student's '${scores}' gives ${got} values per row where the teacher's gives ${want}; the student must predict what the teacher predicts`, file);
  }
}

/** What differs between the teacher's and the student's inputs / outputs (null: nothing). */
export function ioMismatch(
  teacher: { readonly inputs: readonly ValueSummary[]; readonly outputs: readonly ValueSummary[] },
  student: { readonly inputs: readonly ValueSummary[]; readonly outputs: readonly ValueSummary[] },
): string | null {
  const sides = [
    ['input', teacher.inputs, student.inputs],
    ['output', teacher.outputs, student.outputs],
  ] as const;
  for (const [what, t, s] of sides) {
    const tn = t.map((v) => v.name);
    const sn = s.map((v) => v.name);
    if (tn.length !== sn.length || tn.some((n) => !sn.includes(n))) return `its ${what}s are ${names(sn)}, the teacher's ${names(tn)}`;
    for (const a of t) {
      const b = s.find((v) => v.name === a.name)!;
      if (a.elem_type !== b.elem_type || !sameShape(a.shape, b.shape)) return `${what} '${a.name}' is ${typeText(b)} in the student but ${typeText(a)} in the teacher`;
    }
  }
  return null;
}

/** Same rank and the same size wherever both fix one (symbolic dimensions match anything). */
function sameShape(a: ValueSummary['shape'], b: ValueSummary['shape']): boolean {
  if (!a || !b) return true;
  return a.length === b.length && a.every((d, i) => typeof d !== 'number' || typeof b[i] !== 'number' || d === b[i]);
}

function typeText(v: ValueSummary): string {
  return `${v.elem_type ?? '?'} [${(v.shape ?? []).map((d) => d ?? '?').join(', ')}]`;
}

function names(n: readonly string[]): string {
  return n.length ? n.map((x) => `'${x}'`).join(', ') : '(none)';
}
