import { ErrorCode, NNError, registry, type JsonObject } from '@nn/core';
import { slice, Tensor } from '@nn/tensor';
import { toTensor, type Data } from '../data.js';
import type { History } from '../history.js';
import { checkLayerOptions, fmtShape, type Layer, type LayerOptions, type Shape } from '../layer.js';
import { getLoss, type Loss } from '../losses.js';
import { getMetric, type Metric } from '../metrics.js';
import { Model, type CompileOptions, type EvaluateOptions, type FitOptions } from '../model.js';
import { modelSummary } from '../summary.js';
import { InputLayer } from './input.js';
import { joinSamples, OutputLayout, OutputLoss, OutputMetric, OutputsLoss, splitSamples } from './outputs.js';
import { isMultiIO, SymbolicTensor, type GraphNode } from './symbolic.js';

/**
 * Data for a model's inputs (or targets): one array for one input; otherwise a list with one entry per input
 * (output), or an object keyed by input (output) layer name, as Keras.
 */
export type ModelData = Data | readonly Data[] | Readonly<Record<string, Data>>;

type PerOutput<T> = T | readonly T[] | Readonly<Record<string, T>>;

export interface FunctionalCompileOptions extends Omit<CompileOptions, 'loss' | 'metrics'> {
  /** One loss for every output, a list (one per output), or an object keyed by output layer name. */
  loss: PerOutput<Loss | string>;
  /** Metrics for every output (a list), or per output: a list of lists, or an object keyed by output layer name. */
  metrics?: (Metric | string)[] | readonly (readonly (Metric | string)[])[] | Readonly<Record<string, readonly (Metric | string)[]>>;
  /** Weights of the outputs' losses in the total (default 1 each): a list or an object keyed by output name. */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

/** A reference to a symbolic tensor in a saved graph: `[layer name, node index (within the model), output index]`. */
type TensorRef = [string, number, number];

/**
 * Keras' functional Model: a graph of layer calls from `input()`s to outputs, with several inputs and
 * outputs, shared layers (one layer called on several tensors shares its weights) and skip connections.
 * `fit`, `evaluate` and `predict` take a list of arrays for several inputs (and targets for several outputs);
 * `predict` returns a list when the outputs were given as a list.
 */
export class Functional<Out extends Tensor | Tensor[] = Tensor | Tensor[]> extends Model {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  /** Every layer of the graph once, in the order they are first called (inputs first). */
  readonly layers: readonly Layer[];
  private readonly nodes: readonly GraphNode[];
  private readonly listInputs: boolean;
  private readonly listOutputs: boolean;
  private readonly layout?: OutputLayout;
  declare private readonly outputKind?: Out;
  /** Validation data this model joined for fit: fit's evaluate hands it back already joined. */
  private readonly joined = new WeakSet<Tensor>();

  constructor({ inputs, outputs, ...options }: { inputs: SymbolicTensor | readonly SymbolicTensor[]; outputs: SymbolicTensor | readonly SymbolicTensor[] } & Omit<LayerOptions, 'inputShape'>) {
    super(checkLayerOptions('model', options, []), 'model');
    this.listInputs = Array.isArray(inputs);
    this.listOutputs = Array.isArray(outputs);
    this.inputs = this.listInputs ? [...(inputs as SymbolicTensor[])] : [inputs as SymbolicTensor];
    this.outputs = this.listOutputs ? [...(outputs as SymbolicTensor[])] : [outputs as SymbolicTensor];
    for (const [what, list] of [['inputs', this.inputs], ['outputs', this.outputs]] as const) {
      if (list.length === 0) throw new NNError(ErrorCode.InvalidArgument, `model: ${what} is empty`);
      const bad = list.findIndex((s) => !(s instanceof SymbolicTensor));
      if (bad >= 0) throw new NNError(ErrorCode.InvalidArgument, `model: ${what}[${bad}] is not a symbolic tensor (make inputs with input({ shape }) and outputs with layer.apply(...))`);
    }
    this.inputs.forEach((s, i) => {
      if (!(s.node.layer instanceof InputLayer)) throw new NNError(ErrorCode.InvalidArgument, `model: inputs[${i}] comes from layer ${s.node.layer.name}, not from input()`);
    });
    if (new Set(this.inputs).size !== this.inputs.length) throw new NNError(ErrorCode.InvalidArgument, 'model: an input is listed twice');
    this.nodes = topologicalNodes(this.outputs);
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer && !this.inputs.includes(node.outputs[0])) {
        throw new NNError(ErrorCode.InvalidArgument, `model: the outputs depend on input "${node.layer.name}", which is not in inputs`);
      }
    }
    const layers: Layer[] = [];
    for (const node of this.nodes) if (!layers.includes(node.layer)) layers.push(node.layer);
    const names = new Map<string, Layer>();
    for (const l of layers) {
      if (names.has(l.name)) throw new NNError(ErrorCode.InvalidArgument, `model: two different layers are named "${l.name}"; layer names must be unique in a model`);
      names.set(l.name, l);
    }
    this.layers = layers;
    if (this.outputs.length > 1) this.layout = new OutputLayout(this.outputs.map((o) => o.node.layer.name), this.outputs.map((o) => sampleShape(o, 'output')));
    this.inputs.forEach((s) => sampleShape(s, 'input'));
    if (!this.trainable) this.syncRequiresGrad(true);
    // The layers were built as the graph was made: the model is built now.
    this.ensureBuilt([null, ...this.declaredInputShape()]);
  }

  static fromConfig(config: JsonObject): Functional {
    const layers = new Map((config.layers as unknown as Layer[]).map((l) => [l.name, l]));
    const made = new Map<string, SymbolicTensor[][]>();
    const lookup = ([name, node, index]: TensorRef): SymbolicTensor => {
      const t = made.get(name)?.[node]?.[index];
      if (!t) throw new NNError(ErrorCode.InvalidConfig, `model config: no tensor [${name}, ${node}, ${index}] (the nodes must come in call order)`);
      return t;
    };
    for (const n of config.nodes as unknown as { layer: string; inputs: TensorRef[] }[]) {
      const layer = layers.get(n.layer);
      if (!layer) throw new NNError(ErrorCode.InvalidConfig, `model config: a node calls layer "${n.layer}", which is not in layers`);
      const outs = layer instanceof InputLayer ? [layer.output] : layer.applyAll(n.inputs.map(lookup));
      made.set(n.layer, [...(made.get(n.layer) ?? []), outs]);
    }
    const refs = (v: unknown) => (Array.isArray((v as unknown[])[0]) ? (v as TensorRef[]).map(lookup) : lookup(v as TensorRef));
    return new Functional({ inputs: refs(config.inputs), outputs: refs(config.outputs), name: config.name as string, trainable: config.trainable as boolean });
  }

  override children(): Layer[] {
    return [...this.layers];
  }

  protected override declaredInputShape(): number[] {
    const shapes = this.inputs.map((s) => sampleShape(s, 'input'));
    return shapes.length === 1 ? shapes[0] : [shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)];
  }

  /** Runs the graph on real tensors, one per input, in inference (`training` false) or training mode. */
  callAll(xs: readonly Tensor[], training: boolean): Tensor[] {
    if (xs.length !== this.inputs.length) throw new NNError(ErrorCode.InvalidArgument, `${this.name}: expects ${this.inputs.length} input(s), got ${xs.length}`);
    const values = new Map<SymbolicTensor, Tensor>();
    this.inputs.forEach((s, i) => {
      const want = s.shape.slice(1);
      const got = xs[i].shape;
      if (got.length !== want.length + 1 || want.some((d, k) => d !== null && d !== got[k + 1])) {
        throw new NNError(ErrorCode.ShapeMismatch, `${this.name}: input "${s.node.layer.name}" expects samples of shape ${fmtShape(want)}, got a tensor of shape [${got.join(',')}]`);
      }
      values.set(s, xs[i]);
    });
    for (const node of this.nodes) {
      if (node.layer instanceof InputLayer) continue;
      const args = node.inputs.map((s) => values.get(s)!);
      const outs = isMultiIO(node.layer) ? node.layer.callAll(args, training) : [node.layer.applyTensor(args[0], training)];
      node.outputs.forEach((s, i) => values.set(s, outs[i]));
    }
    return this.outputs.map((s) => values.get(s)!);
  }

  computeOutputShapes(inputShapes: readonly Shape[]): Shape[] {
    return this.outputs.map((o) => [inputShapes[0]?.[0] ?? null, ...o.shape.slice(1)]);
  }

  /** The model as Model.fit sees it: inputs (and outputs) joined side by side when there are several. */
  call(x: Tensor, training: boolean): Tensor {
    const xs = this.inputs.length === 1 ? [x] : splitSamples(x, this.inputs.map((s) => sampleShape(s, 'input')));
    const ys = this.callAll(xs, training);
    return ys.length === 1 ? ys[0] : joinSamples(ys);
  }

  override computeOutputShape(inputShape: Shape): Shape {
    if (this.outputs.length === 1) return [inputShape[0], ...this.outputs[0].shape.slice(1)];
    return [inputShape[0], this.layout!.outputShapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)];
  }

  /** Keras' compile; with several outputs, losses, metrics and loss weights may be given per output. */
  override compile({ loss, metrics = [], lossWeights, ...rest }: FunctionalCompileOptions): void {
    if (!this.layout) {
      if (typeof loss === 'object' && !('compute' in loss)) throw new NNError(ErrorCode.InvalidArgument, `compile: ${this.name} has one output; give one loss`);
      super.compile({ ...rest, loss: loss as Loss | string, metrics: metrics as (Metric | string)[] });
      return;
    }
    const layout = this.layout;
    const names = layout.names;
    const perOutput = <T>(v: PerOutput<T> | undefined, what: string, fallback: T): T[] => {
      if (v === undefined) return names.map(() => fallback);
      if (Array.isArray(v)) {
        if (v.length !== names.length) throw new NNError(ErrorCode.InvalidArgument, `compile: ${what} has ${v.length} entries for ${names.length} outputs (${names.join(', ')})`);
        return [...v];
      }
      if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
        const unknown = Object.keys(v).filter((k) => !names.includes(k));
        if (unknown.length) throw new NNError(ErrorCode.InvalidArgument, `compile: ${what} names ${unknown.map((k) => `"${k}"`).join(', ')}, not an output (outputs: ${names.join(', ')})`);
        return names.map((n) => (v as Record<string, T>)[n] ?? fallback);
      }
      return names.map(() => v as T);
    };
    let outputsLoss: OutputsLoss;
    if (loss instanceof OutputsLoss) {
      outputsLoss = loss;
    } else {
      const losses = perOutput<Loss | string>(loss as PerOutput<Loss | string>, 'loss', undefined as never).map((l, k) => {
        if (l === undefined) throw new NNError(ErrorCode.InvalidArgument, `compile: no loss for output "${names[k]}"`);
        return getLoss(l);
      });
      outputsLoss = new OutputsLoss(losses, perOutput<number>(lossWeights as PerOutput<number> | undefined, 'lossWeights', 1));
    }
    outputsLoss.layout = layout;
    let specs: (Metric | string)[][];
    const flat: unknown[] = Array.isArray(metrics) ? metrics : [];
    // Metrics already per output (a saved model being compiled again) are taken as they are.
    const rebound = flat.length > 0 && flat.every((m) => m instanceof OutputMetric || m instanceof OutputLoss);
    if (rebound) {
      specs = [];
    } else if (Array.isArray(metrics) && flat.some((m) => Array.isArray(m))) {
      specs = perOutput(metrics as unknown as (Metric | string)[][], 'metrics', []);
    } else if (Array.isArray(metrics)) {
      specs = names.map(() => [...(metrics as (Metric | string)[])]);
    } else {
      specs = perOutput(metrics as Record<string, (Metric | string)[]>, 'metrics', []);
    }
    // Each output's own loss is logged first (`value_loss`), then the metrics, as Keras.
    const wrapped: (OutputMetric | OutputLoss)[] = rebound
      ? [...(flat as (OutputMetric | OutputLoss)[])]
      : [...outputsLoss.losses.map((l, k) => new OutputLoss(l, k, names[k])), ...specs.flatMap((list, k) => list.map((m) => {
        const l = outputsLoss.losses[k] as Loss & { fromLogits?: boolean };
        const shape = layout.outputShapes[k];
        const metric = getMetric(m, { lossKind: l.kind, fromLogits: l.fromLogits, outputDim: shape[shape.length - 1] });
        return new OutputMetric(metric, k, names[k]);
      }))];
    for (const m of wrapped) m.layout = layout;
    super.compile({ ...rest, loss: outputsLoss, metrics: wrapped });
  }

  /** One tensor for the model's input(s): data given per input is checked against each input and joined. */
  private joinInputs(x: ModelData, op: string): Tensor {
    if (x instanceof Tensor && this.joined.has(x)) return x;
    return this.join(x, this.inputs, op, 'x', (s) => s.shape.slice(1));
  }

  /** One tensor for the targets; with several outputs, each output's targets are checked and joined, and the losses told how to split them. */
  private joinTargets(y: ModelData, op: string): Tensor {
    if (y instanceof Tensor && this.joined.has(y)) return y;
    if (!this.layout) return this.join(y, this.outputs, op, 'y', () => null);
    const parts = this.parts(y, this.outputs, op, 'y');
    this.layout.targetShapes = parts.map((t) => t.shape.slice(1));
    return joinSamples(parts);
  }

  private parts(data: ModelData, ends: readonly SymbolicTensor[], op: string, what: string): Tensor[] {
    const names = ends.map((e) => e.node.layer.name);
    if (isKeyed(data)) {
      const keyed = data;
      const unknown = Object.keys(keyed).filter((k) => !names.includes(k));
      const missing = names.filter((k) => !(k in keyed));
      if (unknown.length || missing.length) {
        throw new NNError(ErrorCode.InvalidArgument, `${op}: ${what} is keyed by name, but ${[...unknown.map((k) => `"${k}" is not an ${what === 'x' ? 'input' : 'output'}`), ...missing.map((k) => `"${k}" is missing`)].join(', ')} (${what === 'x' ? 'inputs' : 'outputs'}: ${names.join(', ')})`);
      }
      data = names.map((k) => keyed[k]);
    }
    const list = ends.length === 1 ? (isListOf(data, 1) ? (data as Data[]) : [data as Data]) : (data as Data[]);
    if (!Array.isArray(list) || list.length !== ends.length) {
      const kind = what === 'x' ? 'inputs' : 'outputs';
      throw new NNError(ErrorCode.InvalidArgument, `${op}: ${this.name} has ${ends.length} ${kind} (${ends.map((e) => e.node.layer.name).join(', ')}); give ${what} as a list of ${ends.length} arrays, one per ${kind.slice(0, -1)}`);
    }
    const tensors = list.map((d, i) => toTensor(d, `${op}: ${what}[${i}]`));
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.rank < 1 || t.shape[0] !== n) throw new NNError(ErrorCode.ShapeMismatch, `${op}: ${what}[0] has ${n} samples but ${what}[${i}] has ${t.rank < 1 ? 'none (a scalar)' : t.shape[0]}`);
    });
    return tensors;
  }

  private join(data: ModelData, ends: readonly SymbolicTensor[], op: string, what: string, want: (s: SymbolicTensor) => Shape | null): Tensor {
    const tensors = this.parts(data, ends, op, what);
    if (tensors.length === 1) return tensors[0];
    tensors.forEach((t, i) => {
      const w = want(ends[i]);
      if (w && (t.rank !== w.length + 1 || w.some((d, k) => d !== null && d !== t.shape[k + 1]))) {
        throw new NNError(ErrorCode.ShapeMismatch, `${op}: input "${ends[i].node.layer.name}" expects samples of shape ${fmtShape(w)}, got ${what}[${i}] of shape [${t.shape.join(',')}]`);
      }
    });
    return joinSamples(tensors);
  }

  override async fit(x: ModelData, y: ModelData, options: FitOptions = {}): Promise<History> {
    if (options.augment && this.inputs.length > 1) throw new NNError(ErrorCode.InvalidArgument, `fit: augment works on one input; ${this.name} has ${this.inputs.length}`);
    const validationData = options.validationData as [ModelData, ModelData] | undefined;
    let xt = this.joinInputs(x, 'fit');
    let yt = this.joinTargets(y, 'fit');
    const targetShapes = this.layout?.targetShapes;
    let val: [Tensor, Tensor] | undefined = validationData ? [this.joinInputs(validationData[0], 'fit (validationData)'), this.joinTargets(validationData[1], 'fit (validationData)')] : undefined;
    if (this.layout && val && targetShapes!.some((s, k) => s.join() !== this.layout!.targetShapes![k].join())) {
      throw new NNError(ErrorCode.ShapeMismatch, 'fit: validationData targets have other sample shapes than the training targets');
    }
    // The held-out samples are cut here (the last fraction, as Keras and Model.fit), so fit's evaluate gets joined data.
    const split = options.validationSplit ?? 0;
    const n = xt.shape[0];
    const nTrain = Math.floor(n * (1 - split));
    let validationSplit = split;
    if (!val && split > 0 && split < 1 && nTrain >= 1 && nTrain < n) {
      val = [slice(xt, [nTrain], [n - nTrain]), slice(yt, [nTrain], [n - nTrain])];
      xt = slice(xt, [0], [nTrain]);
      yt = slice(yt, [0], [nTrain]);
      validationSplit = 0;
    }
    for (const t of val ?? []) this.joined.add(t);
    return super.fit(xt, yt, { ...options, validationSplit, validationData: val });
  }

  override evaluate(x: ModelData, y: ModelData, options?: EvaluateOptions): number[] {
    return super.evaluate(this.joinInputs(x, 'evaluate'), this.joinTargets(y, 'evaluate'), options);
  }

  override trainOnBatch(x: ModelData, y: ModelData): number[] {
    return super.trainOnBatch(this.joinInputs(x, 'trainOnBatch'), this.joinTargets(y, 'trainOnBatch'));
  }

  /** The outputs for `x`: a list (one tensor per output) when the model's outputs were given as a list. */
  override predict(this: Functional<Tensor[]>, x: ModelData, options?: { batchSize?: number }): Tensor[];
  override predict(x: ModelData, options?: { batchSize?: number }): Tensor;
  override predict(x: ModelData, options: { batchSize?: number } = {}): Tensor | Tensor[] {
    const out = super.predict(this.joinInputs(x, 'predict'), options);
    const outs = this.layout ? this.layout.outputs(out) : [out];
    return this.listOutputs ? outs : outs[0];
  }

  /** Keras' summary with a "Connected to" column: each layer's calls and where their inputs come from. */
  summary({ print = console.log as ((s: string) => void) | null } = {}): string {
    const nodesOf = new Map<Layer, GraphNode[]>();
    for (const node of this.nodes) nodesOf.set(node.layer, [...(nodesOf.get(node.layer) ?? []), node]);
    const ref = (s: SymbolicTensor) => `${s.node.layer.name}[${nodesOf.get(s.node.layer)!.indexOf(s.node)}][${s.index}]`;
    const rows = this.layers.map((l) => {
      const nodes = nodesOf.get(l)!;
      const shapes = nodes.map((n) => (n.outputs.length === 1 ? fmtShape(n.outputs[0].shape) : `[${n.outputs.map((o) => fmtShape(o.shape)).join(', ')}]`));
      return {
        name: l.name,
        type: l.constructor.name,
        shape: new Set(shapes).size === 1 ? shapes[0] : 'multiple',
        params: l.countParams(),
        connected: nodes.flatMap((n) => n.inputs.map(ref)),
      };
    });
    return modelSummary(this, rows, print);
  }

  override getConfig(): Record<string, unknown> {
    const index = new Map<GraphNode, number>();
    const count = new Map<Layer, number>();
    for (const node of this.nodes) {
      index.set(node, count.get(node.layer) ?? 0);
      count.set(node.layer, (count.get(node.layer) ?? 0) + 1);
    }
    const ref = (s: SymbolicTensor): TensorRef => [s.node.layer.name, index.get(s.node)!, s.index];
    const { inputShape: _drop, ...base } = super.getConfig();
    return {
      ...base,
      layers: this.layers,
      nodes: this.nodes.map((n) => ({ layer: n.layer.name, inputs: n.inputs.map(ref) })),
      inputs: this.listInputs ? this.inputs.map(ref) : ref(this.inputs[0]),
      outputs: this.listOutputs ? this.outputs.map(ref) : ref(this.outputs[0]),
    };
  }
}

/** Data given per input/output name: a plain object (not a tensor, typed array or nested array). */
function isKeyed(data: ModelData): data is Readonly<Record<string, Data>> {
  return typeof data === 'object' && data !== null && Object.getPrototypeOf(data) === Object.prototype;
}

/** `data` is a list of `n` per-input arrays (not one nested array of samples). */
function isListOf(data: ModelData, n: number): boolean {
  return Array.isArray(data) && data.length === n && data.every((d) => d instanceof Tensor);
}

/** A symbolic tensor's sample shape, which must be fully known to feed data through it. */
function sampleShape(s: SymbolicTensor, what: string): number[] {
  const shape = s.shape.slice(1);
  if (shape.some((d) => d === null)) throw new NNError(ErrorCode.ShapeMismatch, `model: ${what} ${s.name} has shape ${fmtShape(s.shape)}; every axis but the batch must be known`);
  return shape as number[];
}

/** The layer calls leading to `outputs`, each after the calls that made its inputs. */
function topologicalNodes(outputs: readonly SymbolicTensor[]): GraphNode[] {
  const order: GraphNode[] = [];
  const seen = new Set<GraphNode>();
  const stack: [GraphNode, number][] = outputs.map((o) => [o.node, 0] as [GraphNode, number]).reverse();
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top[1] === 0 && seen.has(top[0])) {
      stack.pop();
      continue;
    }
    seen.add(top[0]);
    if (top[1] < top[0].inputs.length) {
      const next = top[0].inputs[top[1]++].node;
      if (!seen.has(next)) stack.push([next, 0]);
    } else {
      order.push(top[0]);
      stack.pop();
    }
  }
  return order;
}

/**
 * Keras' `Model(inputs, outputs)`: `model({ inputs: [a, b], outputs: [y1, y2] })`. Outputs given as a list
 * make `predict` return a list.
 */
export function model<O extends SymbolicTensor | readonly SymbolicTensor[]>(args: { inputs: SymbolicTensor | readonly SymbolicTensor[]; outputs: O; name?: string; trainable?: boolean }): Functional<O extends SymbolicTensor ? Tensor : Tensor[]> {
  return new Functional(args) as Functional<O extends SymbolicTensor ? Tensor : Tensor[]>;
}

registry.register('layer', 'functional', Functional);
