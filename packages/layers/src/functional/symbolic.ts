import { ErrorCode, NNError } from '@nn/core';
import { Tensor } from '@nn/tensor';
import { fmtShape, type Layer, type Shape } from '../layer.js';

/**
 * A layer that takes several inputs or gives several outputs (merge layers, recurrent layers with states,
 * bidirectional with `mergeMode: null`, functional models). Other layers take one input and give one output.
 */
export interface MultiIOLayer {
  callAll(inputs: readonly Tensor[], training: boolean): Tensor[];
  computeOutputShapes(inputShapes: readonly Shape[]): Shape[];
}

export const isMultiIO = (layer: Layer): layer is Layer & MultiIOLayer =>
  typeof (layer as Partial<MultiIOLayer>).callAll === 'function' && typeof (layer as Partial<MultiIOLayer>).computeOutputShapes === 'function';

/** One application of a layer in a graph: which symbolic tensors went in, which came out. */
export interface GraphNode {
  readonly layer: Layer;
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
}

/**
 * A placeholder for a tensor in a functional model under construction (Keras' KerasTensor): it has a shape
 * (batch axis `null`) and remembers the layer call that made it. `input({ shape })` makes the first ones;
 * `layer.apply(symbolic)` makes more; `model({ inputs, outputs })` turns the graph into a model.
 */
export class SymbolicTensor {
  /** @internal */
  constructor(readonly shape: Shape, readonly node: GraphNode, readonly index: number) {}

  get rank(): number {
    return this.shape.length;
  }

  /** `layer_name/index` as Keras names its tensors. */
  get name(): string {
    return `${this.node.layer.name}/${this.index}`;
  }

  toString(): string {
    return `SymbolicTensor(${fmtShape(this.shape)}, from ${this.node.layer.name})`;
  }
}

const describe = (v: unknown): string => (v instanceof Tensor ? `a Tensor` : v instanceof SymbolicTensor ? 'a SymbolicTensor' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * `layer.applyAll(inputs)`: on symbolic tensors, records the call (building the layer from the shapes) and
 * returns symbolic outputs; on real tensors, runs the layer. One input and one output unless the layer is
 * {@link MultiIOLayer}.
 */
export function applyLayer(layer: Layer, x: unknown, training: boolean): SymbolicTensor[] | Tensor[] {
  const inputs: unknown[] = Array.isArray(x) ? x : [x];
  if (inputs.length === 0) throw new NNError(ErrorCode.InvalidArgument, `${layer.name}.apply: got an empty list of inputs`);
  const symbolic = inputs.every((v) => v instanceof SymbolicTensor);
  if (!symbolic && !inputs.every((v) => v instanceof Tensor)) {
    throw new NNError(ErrorCode.InvalidArgument, `${layer.name}.apply: expects Tensors or SymbolicTensors (from input()), not a mix; got ${inputs.map(describe).join(', ')}`);
  }
  if (!isMultiIO(layer) && inputs.length !== 1) {
    throw new NNError(ErrorCode.InvalidArgument, `${layer.name}.apply: ${layer.constructor.name} takes one input, got ${inputs.length}; merge them first (add(), concatenate())`);
  }
  if (!symbolic) {
    const xs = inputs as Tensor[];
    if (!isMultiIO(layer)) return [layer.apply(xs[0], { training })];
    layer.ensureBuilt(xs[0].shape);
    return layer.callAll(xs, training);
  }
  const xs = inputs as SymbolicTensor[];
  const shapes = xs.map((s) => s.shape);
  let outShapes: Shape[];
  try {
    layer.ensureBuilt(shapes[0]);
    outShapes = isMultiIO(layer) ? layer.computeOutputShapes(shapes) : [layer.computeOutputShape(shapes[0])];
  } catch (e) {
    const err = e as NNError;
    if (err instanceof NNError && err.message.includes(layer.name)) throw err;
    throw new NNError(err.code ?? ErrorCode.ShapeMismatch, `${layer.name}: cannot be applied to ${shapes.map(fmtShape).join(', ')}: ${err.message}`);
  }
  const outputs: SymbolicTensor[] = [];
  const node: GraphNode = { layer, inputs: xs, outputs };
  outShapes.forEach((s, i) => outputs.push(new SymbolicTensor(s, node, i)));
  return outputs;
}
