/** Operator categories for colouring nodes in the graph view. */
import type { OpCategory } from './graph-types';

const TABLE: Record<OpCategory, readonly string[]> = {
  conv: ['Conv', 'ConvTranspose', 'ConvInteger', 'QLinearConv', 'DeformConv', 'Col2Im', 'FusedConv', 'NhwcConv'],
  linear: ['Gemm', 'MatMul', 'MatMulInteger', 'QLinearMatMul', 'Einsum', 'FusedMatMul', 'MatMulNBits', 'FusedGemm', 'Attention', 'MultiHeadAttention', 'GroupQueryAttention', 'RNN', 'GRU', 'LSTM', 'Det'],
  activation: [
    'Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'FastGelu', 'BiasGelu', 'QuickGelu',
    'HardSigmoid', 'HardSwish', 'Softplus', 'Softsign', 'Mish', 'ThresholdedRelu', 'Shrink', 'Softmax', 'LogSoftmax',
    'Hardmax', 'Clip', 'Swish', 'QLinearSigmoid', 'QLinearLeakyRelu', 'QLinearSoftmax',
  ],
  normalization: [
    'BatchNormalization', 'LayerNormalization', 'InstanceNormalization', 'GroupNormalization', 'LpNormalization', 'LRN',
    'MeanVarianceNormalization', 'RMSNormalization', 'SkipLayerNormalization', 'SimplifiedLayerNormalization',
    'SkipSimplifiedLayerNormalization', 'EmbedLayerNormalization',
  ],
  pool: ['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool', 'MaxRoiPool', 'MaxUnpool', 'RoiAlign'],
  elementwise: [
    'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Mean', 'Sum', 'Mod', 'Exp', 'Log', 'Sqrt', 'Abs', 'Neg', 'Erf',
    'Ceil', 'Floor', 'Round', 'Reciprocal', 'Sign', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh',
    'Asinh', 'Acosh', 'Atanh', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'BitwiseNot', 'CumSum', 'IsNaN',
    'IsInf', 'QLinearAdd', 'QLinearMul', 'BiasAdd',
  ],
  reduce: [
    'ReduceSum', 'ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum',
    'ReduceLogSumExp', 'ReduceSumSquare', 'ArgMax', 'ArgMin', 'TopK',
  ],
  shape: [
    'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose', 'Shape', 'Size', 'Expand', 'DepthToSpace',
    'SpaceToDepth',
  ],
  tensor: [
    'Concat', 'Split', 'Slice', 'Gather', 'GatherElements', 'GatherND', 'Scatter', 'ScatterND', 'ScatterElements',
    'Tile', 'Pad', 'Resize', 'Upsample', 'Identity', 'Cast', 'CastLike', 'Where', 'NonZero', 'OneHot', 'Compress',
    'Unique', 'Range', 'Trilu', 'ReverseSequence', 'GridSample', 'NonMaxSuppression', 'Dropout', 'EyeLike',
    'SplitToSequence', 'ConcatFromSequence', 'SequenceAt', 'SequenceConstruct', 'SequenceEmpty', 'SequenceErase',
    'SequenceInsert', 'SequenceLength', 'SequenceMap', 'Optional', 'OptionalGetElement', 'OptionalHasElement',
  ],
  control: ['If', 'Loop', 'Scan'],
  quantization: ['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear'],
  logic: ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Not'],
  constant: ['Constant', 'ConstantOfShape', 'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Bernoulli'],
  custom: [],
  other: [],
};

const BY_OP = new Map<string, OpCategory>();
for (const [cat, ops] of Object.entries(TABLE) as [OpCategory, readonly string[]][]) for (const op of ops) BY_OP.set(op, cat);

/** Domains whose operators we know by name (the default one, ONNX Runtime's contrib ops, ONNX-ML). */
const KNOWN_DOMAINS = new Set(['', 'ai.onnx', 'com.microsoft', 'ai.onnx.ml', 'ai.onnx.preview.training']);

/** Category of an operator; nodes of other domains (and calls of model-local functions) are `custom`. */
export function opCategory(opType: string, domain: string | null | undefined, isFunction = false): OpCategory {
  const d = domain ?? '';
  if (isFunction || !KNOWN_DOMAINS.has(d)) return 'custom';
  const c = BY_OP.get(opType);
  if (c) return c;
  if (opType.startsWith('QLinear')) return 'quantization';
  return d === 'com.microsoft' ? 'custom' : 'other';
}
