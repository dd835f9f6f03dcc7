/**
 * Which columns feed which model input: the label, the sensitive attributes and the id columns are set aside
 * (never fed); the remaining feature columns are routed to the inputs and shaped to the inputs' per-row shape.
 * Pure: works on column names and the model's input summaries only.
 */
import type { ValueSummary } from '../../core/report-types';
import { DataType } from '../../core/tensor/dtypes';
import { DatasetError } from './errors';
import type { DatasetSchema } from './types';

export interface PlanOptions {
  /** Label column; undefined: auto-detect (label, labels, target, targets, y, class; case-insensitive); null: none. */
  readonly label?: string | null;
  /** When no label is named or found: throw (listing the columns) instead of planning without one. */
  readonly requireLabel?: boolean;
  /** Sensitive attributes (fairness groups): returned per batch as text, never fed. */
  readonly sensitive?: readonly string[];
  /** Columns never fed nor returned (ids, notes …); id-like columns are excluded automatically anyway. */
  readonly excludeColumns?: readonly string[];
  /** Per model input: its columns in order, or one string: a column's name, else a prefix of column names. */
  readonly inputMap?: Readonly<Record<string, readonly string[] | string>>;
}

/** What feeds one model input: columns (in order, row-major per row) or one tensor column. */
export type FeedSource = { readonly kind: 'columns'; readonly columns: readonly string[] } | { readonly kind: 'tensor'; readonly tensor: string };

export interface InputFeed {
  readonly input: string;
  /** ONNX element type name of the input (`FLOAT`) and its number. */
  readonly elemType: string;
  readonly dataType: DataType;
  /** The input's declared shape (symbolic dims as strings). */
  readonly declaredShape: readonly (number | string | null)[] | null;
  /** Shape of one row (the input shape without the batch dim, unknown dims resolved). */
  readonly rowShape: readonly number[];
  /** Values per row (product of `rowShape`). */
  readonly rowSize: number;
  /** The batch size when the model fixes it (first dim is a number); batches must have exactly this many rows. */
  readonly fixedBatch?: number;
  readonly source: FeedSource;
  /** How the columns were chosen, for the report. */
  readonly how: string;
}

export interface ExcludedColumn {
  readonly column: string;
  readonly reason: string;
}

export interface FeaturePlan {
  readonly file?: string;
  readonly label: string | null;
  /** How the label was chosen. */
  readonly labelHow: 'option' | 'auto' | 'none';
  /** Whether the label column holds numbers (labels come as a Float64Array) or text (string[]). */
  readonly labelKind?: 'number' | 'text';
  readonly sensitive: readonly string[];
  /** Columns set aside besides label and sensitive ones: ids (auto), excluded by option, not routed to any input. */
  readonly excluded: readonly ExcludedColumn[];
  /** One entry per model input, in the model's order. */
  readonly feeds: readonly InputFeed[];
  /** The plan as lines of text for reports and logs. */
  describe(): string[];
}

const LABEL_NAMES = ['label', 'labels', 'target', 'targets', 'y', 'class'];
const ID_NAME = /^(id|index|idx|row_?id|row_?index|row_?num(ber)?|sample_?id|unnamed: ?\d+|__index_level_\d+__|[\w ]+[_\- ](id|uuid|guid))$/i;
const PATH_NAME = /^(path|file|filename|file_?path|image_?path|image_?file)$/i;

const FEEDABLE = new Set<string>(['FLOAT', 'DOUBLE', 'FLOAT16', 'INT8', 'INT16', 'INT32', 'INT64', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'BOOL', 'STRING']);

/** `a, b, c` — long lists shortened to the first ten, `…` and the last, with the count. */
export function listNames(names: readonly string[], max = 12): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max - 2).join(', ')}, …, ${names[names.length - 1]} (${names.length} in all)`;
}

export function shapeText(shape: readonly (number | string | null)[] | null): string {
  return shape ? `[${shape.map((d) => (d === null ? '?' : String(d))).join(',')}]` : '(unknown rank)';
}

/** The column taken as the label when none is named: the first of LABEL_NAMES (any case) among the columns. */
export function autoLabelColumn(columns: readonly string[]): string | null {
  for (const want of LABEL_NAMES) {
    const hit = columns.find((c) => c.trim().toLowerCase() === want);
    if (hit !== undefined) return hit;
  }
  return null;
}

/** Routes the columns of a data set to a model's inputs. Throws DatasetError with what was tried and found. */
export function planFeatures(source: DatasetSchema, inputs: readonly ValueSummary[], options: PlanOptions = {}): FeaturePlan {
  const file = source.file ?? 'data';
  const columns = [...source.columns];
  const colSet = new Set(columns);
  const tensors = new Set(source.tensors ?? []);
  const texts = new Set(source.textColumns ?? []);
  const found = () => `columns found: ${listNames(columns, 40)}`;
  const requireColumn = (c: string, what: string) => {
    if (!colSet.has(c)) throw new DatasetError(file, 'missing-column', `${what} column "${c}" is not in the data; ${found()}`, { column: c });
  };

  // Label.
  let label: string | null = null;
  let labelHow: FeaturePlan['labelHow'] = 'none';
  if (typeof options.label === 'string') {
    requireColumn(options.label, 'label');
    label = options.label;
    labelHow = 'option';
  } else if (options.label === undefined) {
    label = autoLabelColumn(columns);
    if (label !== null) labelHow = 'auto';
  }
  if (label === null && options.requireLabel) {
    throw new DatasetError(
      file,
      'missing-column',
      `no label column: none of ${LABEL_NAMES.join(', ')} (any case) is among the columns, and none was named; ${found()}`,
    );
  }
  if (label !== null && tensors.has(label)) {
    const shape = source.tensorShapes?.get(label);
    throw new DatasetError(file, 'bad-label', `label "${label}" holds ${shape ? `[${shape}]` : 'several values'} per row; one class (or value) per row is expected`, { column: label });
  }

  // Sensitive and excluded columns.
  const sensitive = [...new Set(options.sensitive ?? [])];
  for (const c of sensitive) {
    requireColumn(c, 'sensitive');
    if (c === label) throw new DatasetError(file, 'invalid-option', `column "${c}" is both the label and a sensitive attribute`, { column: c });
    if (tensors.has(c)) throw new DatasetError(file, 'invalid-option', `sensitive column "${c}" is an array; one group value per row is expected`, { column: c });
  }
  const excluded: ExcludedColumn[] = [];
  const userExcluded = new Set(options.excludeColumns ?? []);
  for (const c of userExcluded) requireColumn(c, 'excluded');

  // Inputs.
  const feedInputs = [...inputs];
  for (const i of feedInputs) {
    if (i.kind !== 'tensor' && i.kind !== 'optional') {
      throw new DatasetError(file, 'routing', `model input "${i.name}" is a ${i.kind}, not a tensor; only tensors can be fed from a data set`);
    }
    if (!i.elem_type || !FEEDABLE.has(i.elem_type)) {
      throw new DatasetError(file, 'feature-mismatch', `model input "${i.name}" has element type ${i.elem_type ?? 'unknown'}, which cannot be fed from a data set`);
    }
  }
  if (feedInputs.length === 0) throw new DatasetError(file, 'routing', 'the model has no inputs to feed');
  const inputMap = options.inputMap ?? {};
  for (const name of Object.keys(inputMap)) {
    if (!inputs.some((i) => i.name === name)) {
      throw new DatasetError(file, 'invalid-option', `the input map names "${name}", which is not a model input (inputs: ${inputs.map((i) => i.name).join(', ')})`);
    }
    const v = inputMap[name];
    if (typeof v !== 'string') for (const c of v) requireColumn(c, `input map ("${name}")`);
  }
  const reserved = new Set<string>([...(label !== null ? [label] : []), ...sensitive]);
  const explicit = new Set<string>();
  for (const v of Object.values(inputMap)) {
    if (typeof v !== 'string') for (const c of v) explicit.add(c);
    else if (colSet.has(v)) explicit.add(v);
  }
  if (feedInputs.length > 1) for (const i of feedInputs) if (colSet.has(i.name)) explicit.add(i.name);
  for (const c of explicit) {
    if (reserved.has(c)) throw new DatasetError(file, 'invalid-option', `column "${c}" is the label or sensitive, so it cannot feed the model`, { column: c });
  }
  for (const c of columns) {
    if (reserved.has(c) || explicit.has(c)) continue;
    if (userExcluded.has(c)) excluded.push({ column: c, reason: 'excluded by option' });
    else if (ID_NAME.test(c.trim())) excluded.push({ column: c, reason: 'id column (auto)' });
    else if (texts.has(c) && PATH_NAME.test(c.trim())) excluded.push({ column: c, reason: 'file path (auto)' });
  }
  const excludedSet = new Set(excluded.map((e) => e.column));
  const features = columns.filter((c) => !reserved.has(c) && !excludedSet.has(c));

  const setAside = () => {
    const parts: string[] = [];
    if (label !== null) parts.push(`label "${label}"`);
    if (sensitive.length) parts.push(`sensitive ${sensitive.join(', ')}`);
    if (excluded.length) parts.push(`excluded ${excluded.map((e) => e.column).join(', ')}`);
    return parts.length ? ` (set aside: ${parts.join('; ')})` : '';
  };

  // Routing: input → source.
  const routes: { input: ValueSummary; source: FeedSource; how: string }[] = [];
  const prefixed = (prefix: string) => features.filter((c) => c.startsWith(prefix) && c.length > prefix.length);
  for (const input of feedInputs) {
    const mapped = inputMap[input.name];
    if (mapped !== undefined) {
      if (typeof mapped === 'string' && colSet.has(mapped)) {
        routes.push({ input, source: sourceOf([mapped], tensors), how: 'column from the input map' });
      } else if (typeof mapped === 'string') {
        const cols = prefixed(mapped);
        if (cols.length === 0) throw new DatasetError(file, 'routing', `no feature column starts with "${mapped}" (input map for "${input.name}"); feature columns: ${listNames(features)}`);
        routes.push({ input, source: sourceOf(cols, tensors), how: `columns starting with "${mapped}" (input map)` });
      } else {
        routes.push({ input, source: sourceOf([...mapped], tensors), how: 'columns from the input map' });
      }
      continue;
    }
    if (feedInputs.length === 1) {
      const fTensors = features.filter((c) => tensors.has(c));
      if (fTensors.length === 1) routes.push({ input, source: { kind: 'tensor', tensor: fTensors[0] }, how: `array "${fTensors[0]}"` });
      else if (fTensors.length > 1) {
        if (!fTensors.includes(input.name)) {
          throw new DatasetError(file, 'routing', `several arrays could feed input "${input.name}" (${fTensors.join(', ')}); name one in the input map or exclude the others`);
        }
        routes.push({ input, source: { kind: 'tensor', tensor: input.name }, how: `array named like the input` });
      } else {
        if (features.length === 0) throw new DatasetError(file, 'feature-mismatch', `no feature columns are left to feed input "${input.name}"${setAside()}; ${found()}`);
        routes.push({ input, source: { kind: 'columns', columns: features }, how: 'all feature columns, in file order' });
      }
      continue;
    }
    if (colSet.has(input.name)) {
      routes.push({ input, source: sourceOf([input.name], tensors), how: 'column named like the input' });
      continue;
    }
    const tried = [`${input.name}_`, `${input.name}.`, `${input.name}[`];
    const hit = tried.map((p) => ({ p, cols: prefixed(p) })).find((t) => t.cols.length > 0);
    if (!hit) {
      throw new DatasetError(
        file,
        'routing',
        `no columns for model input "${input.name}": looked for a column named "${input.name}" and for columns starting with ` +
          `${tried.map((t) => `"${t}"`).join(', ')}; feature columns: ${listNames(features, 40)}${setAside()}. Name them with the input map`,
      );
    }
    routes.push({ input, source: sourceOf(hit.cols, tensors), how: `columns starting with "${hit.p}"` });
  }

  // Every column feeds at most one input.
  const owner = new Map<string, string>();
  for (const r of routes) {
    for (const c of r.source.kind === 'columns' ? r.source.columns : [r.source.tensor]) {
      const prev = owner.get(c);
      if (prev !== undefined) throw new DatasetError(file, 'routing', `column "${c}" would feed both "${prev}" and "${r.input.name}"; route it with the input map`, { column: c });
      owner.set(c, r.input.name);
    }
  }
  for (const c of features) if (!owner.has(c)) excluded.push({ column: c, reason: 'not routed to any input' });

  const feeds = routes.map((r) => makeFeed(file, r.input, r.source, r.how, source, texts, setAside));
  const labelKind = label === null ? undefined : texts.has(label) ? 'text' : 'number';
  const plan: FeaturePlan = {
    file: source.file,
    label,
    labelHow,
    ...(labelKind ? { labelKind } : {}),
    sensitive,
    excluded,
    feeds,
    describe: () => describePlan(plan),
  };
  return plan;
}

function sourceOf(cols: string[], tensors: ReadonlySet<string>): FeedSource {
  if (cols.length === 1 && tensors.has(cols[0])) return { kind: 'tensor', tensor: cols[0] };
  return { kind: 'columns', columns: cols };
}

function makeFeed(
  file: string,
  input: ValueSummary,
  source: FeedSource,
  how: string,
  schema: DatasetSchema,
  texts: ReadonlySet<string>,
  setAside: () => string,
): InputFeed {
  const elemType = input.elem_type!;
  const dataType = DataType[elemType as keyof typeof DataType];
  const declared = input.shape;
  const tensorShape = source.kind === 'tensor' ? (schema.tensorShapes?.get(source.tensor) ?? []) : undefined;
  const count = tensorShape ? tensorShape.reduce((a, b) => a * b, 1) : (source as { columns: readonly string[] }).columns.length;
  if (source.kind === 'columns') {
    const tensorCols = source.columns.filter((c) => (schema.tensors ?? []).includes(c));
    if (tensorCols.length) {
      throw new DatasetError(file, 'routing', `input "${input.name}" would mix arrays (${tensorCols.join(', ')}) with other columns; route one array per input`);
    }
    if (dataType !== DataType.STRING) {
      const text = source.columns.find((c) => texts.has(c));
      if (text !== undefined) {
        throw new DatasetError(
          file,
          'feature-mismatch',
          `column "${text}" holds text but feeds input "${input.name}", which takes ${elemType} numbers; exclude it ` +
            '(exclude option), declare it sensitive, or fix its cells',
          { column: text },
        );
      }
    }
  }
  const what =
    source.kind === 'tensor'
      ? `array "${source.tensor}" has ${count} per row (shape [${tensorShape!.join(',')}])`
      : `found ${count} feature column${count === 1 ? '' : 's'}: ${listNames(source.columns)}${setAside()}`;
  const mismatch = (expected: string) =>
    new DatasetError(file, 'feature-mismatch', `feature count mismatch: expected ${expected} (input "${input.name}" shape ${shapeText(declared)}) but ${what}`);

  let rowShape: number[];
  let fixedBatch: number | undefined;
  if (declared === null) rowShape = [count];
  else if (declared.length === 0) {
    throw new DatasetError(file, 'feature-mismatch', `model input "${input.name}" is a scalar (shape []); it has no batch dimension to feed rows through`);
  } else {
    if (typeof declared[0] === 'number') fixedBatch = declared[0];
    const rest = declared.slice(1);
    const unknown = rest.map((d, i) => (typeof d === 'number' ? -1 : i)).filter((i) => i >= 0);
    const known = rest.reduce<number>((a, d) => (typeof d === 'number' ? a * d : a), 1);
    if (unknown.length === 0) {
      if (known !== count) throw mismatch(String(known));
      rowShape = rest as number[];
    } else if (tensorShape && tensorShape.length === rest.length && rest.every((d, i) => typeof d !== 'number' || d === tensorShape[i])) {
      rowShape = [...tensorShape];
    } else if (unknown.length === 1) {
      if (known === 0 || count % known !== 0 || count === 0) throw mismatch(`a multiple of ${known}`);
      rowShape = rest.map((d) => (typeof d === 'number' ? d : count / known));
    } else {
      throw new DatasetError(
        file,
        'feature-mismatch',
        `model input "${input.name}" has shape ${shapeText(declared)}: ${unknown.length} dims besides the batch are not fixed, so ` +
          `${count} values per row cannot be shaped; feed it from an array of that rank`,
      );
    }
  }
  return {
    input: input.name,
    elemType,
    dataType,
    declaredShape: declared,
    rowShape,
    rowSize: count,
    ...(fixedBatch !== undefined ? { fixedBatch } : {}),
    source,
    how,
  };
}

function describePlan(plan: FeaturePlan): string[] {
  const lines: string[] = [];
  if (plan.file) lines.push(`data: ${plan.file}`);
  lines.push(
    plan.label === null
      ? 'label: none'
      : `label: "${plan.label}" (${plan.labelHow === 'auto' ? 'auto-detected by name' : 'named in the options'}; ${plan.labelKind === 'text' ? 'text' : 'numeric'})`,
  );
  if (plan.sensitive.length) lines.push(`sensitive (not fed): ${plan.sensitive.map((c) => `"${c}"`).join(', ')}`);
  const byReason = new Map<string, string[]>();
  for (const e of plan.excluded) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e.column]);
  for (const [reason, cols] of byReason) lines.push(`not fed (${reason}): ${listNames(cols.map((c) => `"${c}"`))}`);
  for (const f of plan.feeds) {
    const src =
      f.source.kind === 'tensor'
        ? `array "${f.source.tensor}"`
        : f.source.columns.length === 1
          ? `column "${f.source.columns[0]}"`
          : `${f.source.columns.length} columns ${f.source.columns[0]} … ${f.source.columns[f.source.columns.length - 1]}`;
    const batch = f.fixedBatch !== undefined ? `; the model fixes the batch size to ${f.fixedBatch}` : '';
    lines.push(`input "${f.input}" ${f.elemType} ${shapeText(f.declaredShape)} ← ${src} (${f.how}), per row [${f.rowShape.join(',')}]${batch}`);
  }
  return lines;
}
