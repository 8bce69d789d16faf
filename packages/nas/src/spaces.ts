import { ErrorCode, NNError } from '@nn/core';
import {
  activation, batchNorm, concatenate, conv2d, dense, depthwiseConv2d, globalAvgPool, input, layerNorm, maxPool2d, model, sequential,
  type Layer, type Model, type Sequential, type SymbolicTensor,
} from '@nn/layers';
import { dropout } from '@nn/regularize';
import { choice, repeat, skipConnection, searchSpace, type Architecture, type Choice, type DecisionValue, type SearchSpace, type SkipConnection } from './space.js';

/** Options of the ready spaces: what the network must take and give, and the values each decision may take. */
export interface ReadySpaceOptions {
  /** One sample's shape (no batch axis): `[30]` for tabular data, `[8, 8, 1]` for small images. */
  inputShape: number[];
  /** Units of the output layer (classes, or 1 for a binary/regression head). */
  outputUnits: number;
  /** The output layer's activation. Default 'linear' (logits; compile with `fromLogits`). */
  outputActivation?: string;
  /** The numbers of blocks to choose from. Default [1, 2, 3]. */
  layerCounts?: number[];
  activations?: string[];
  /** 'none', 'batch', 'layer'. Default ['none', 'batch', 'layer']. */
  normalizations?: string[];
  /** Dropout rates after each block. Default [0, 0.2, 0.5]. */
  dropouts?: number[];
  /** Whether blocks may concatenate an earlier output to their input (a functional model). Default true. */
  skips?: boolean;
}

export interface MlpSpaceOptions extends ReadySpaceOptions {
  /** Units per dense block. Default [16, 32, 64, 128]. */
  units?: number[];
}

export interface CnnSpaceOptions extends ReadySpaceOptions {
  /** 'conv3' and 'conv5' (3x3, 5x5), 'depthwise3' (a 3x3 depthwise + 1x1 pointwise convolution). Default all three. */
  kinds?: string[];
  /** Filters per convolution block. Default [8, 16, 32]. */
  filters?: number[];
}

const NORMALIZATIONS = ['none', 'batch', 'layer'];
const KINDS = ['conv3', 'conv5', 'depthwise3'];

/** The per-block decisions, leaving out those with a single value (a fixed value is not a decision). */
function blockDecisions(fields: Record<string, readonly DecisionValue[] | undefined>, skips: boolean): Record<string, Choice | SkipConnection> {
  const body: Record<string, Choice | SkipConnection> = {};
  for (const [name, values] of Object.entries(fields)) if (values && values.length > 1) body[name] = choice(values);
  if (skips) body.skip = skipConnection();
  return body;
}

function check(where: string, name: string, values: readonly unknown[] | undefined, ok: (v: unknown) => boolean, what: string): void {
  if (values === undefined) return;
  if (!Array.isArray(values) || values.length === 0 || !values.every(ok)) throw new NNError(ErrorCode.InvalidArgument, `${where}: ${name} must be a non-empty array of ${what}, got ${JSON.stringify(values)}`);
}

function checkCommon(where: string, o: ReadySpaceOptions): void {
  if (!Array.isArray(o?.inputShape) || !o.inputShape.every((d) => Number.isInteger(d) && d > 0)) throw new NNError(ErrorCode.InvalidArgument, `${where}: inputShape must be a list of positive integers, got ${JSON.stringify(o?.inputShape)}`);
  if (!Number.isInteger(o.outputUnits) || o.outputUnits <= 0) throw new NNError(ErrorCode.InvalidArgument, `${where}: outputUnits must be a positive integer, got ${String(o.outputUnits)}`);
  check(where, 'layerCounts', o.layerCounts, (v) => Number.isInteger(v) && (v as number) >= 1, 'positive integers');
  check(where, 'normalizations', o.normalizations, (v) => NORMALIZATIONS.includes(v as string), `${NORMALIZATIONS.join('/')}`);
  check(where, 'dropouts', o.dropouts, (v) => typeof v === 'number' && v >= 0 && v < 1, 'rates in [0, 1)');
  check(where, 'activations', o.activations, (v) => typeof v === 'string', 'activation names');
}

type Block = Record<string, DecisionValue>;

/** What the ready spaces build: a sequential model, or a functional one when a block skips. Both have `summary()`. */
export type SpaceModel = Model & Pick<Sequential, 'summary'>;

/**
 * Wires blocks: each block's layers applied to its input (the previous output, concatenated with the output
 * its skip names). A sequential model when no block skips, else a functional one.
 */
function wire(arch: Architecture, inputShape: number[], blockLayers: (b: Block, i: number) => Layer[], head: Layer[]): SpaceModel {
  const blocks = arch.layers as Block[];
  if (blocks.every((b) => b.skip === null || b.skip === undefined)) {
    return sequential([...blocks.flatMap(blockLayers), ...head], { inputShape });
  }
  const x = input({ shape: inputShape });
  const outputs: SymbolicTensor[] = [];
  let h = x;
  blocks.forEach((b, i) => {
    const skip = b.skip;
    const from = skip === 'input' ? x : typeof skip === 'number' ? outputs[skip] : null;
    if (from) h = concatenate().apply([h, from]);
    for (const layer of blockLayers(b, i)) h = layer.apply(h);
    outputs.push(h);
  });
  for (const layer of head) h = layer.apply(h);
  return model({ inputs: x, outputs: h }) as unknown as SpaceModel;
}

/** A block's tail: normalization, activation, dropout (dense/conv layers are built linear so normalization comes first). */
function tail(b: Block, o: ReadySpaceOptions): Layer[] {
  const norm = (b.normalization ?? o.normalizations?.[0] ?? 'none') as string;
  const act = (b.activation ?? o.activations?.[0] ?? 'relu') as string;
  const rate = (b.dropout ?? o.dropouts?.[0] ?? 0) as number;
  return [
    ...(norm === 'batch' ? [batchNorm()] : norm === 'layer' ? [layerNorm()] : []),
    activation(act),
    ...(rate > 0 ? [dropout(rate)] : []),
  ];
}

/**
 * A space of multilayer perceptrons: the number of dense blocks, then per block its units, activation,
 * normalization, dropout and skip connection; then a dense output layer. Builds a sequential model, or a
 * functional one when a block concatenates an earlier output.
 */
export function mlpSpace(options: MlpSpaceOptions): SearchSpace<SpaceModel> {
  checkCommon('mlpSpace', options);
  if (options.inputShape.length !== 1) throw new NNError(ErrorCode.InvalidArgument, `mlpSpace: inputShape must be [features] (flatten images first), got ${JSON.stringify(options.inputShape)}`);
  check('mlpSpace', 'units', options.units, (v) => Number.isInteger(v) && (v as number) > 0, 'positive integers');
  const o = { layerCounts: [1, 2, 3], units: [16, 32, 64, 128], activations: ['relu', 'tanh', 'elu'], normalizations: NORMALIZATIONS, dropouts: [0, 0.2, 0.5], skips: true, ...options };
  const body = blockDecisions({ units: o.units, activation: o.activations, normalization: o.normalizations, dropout: o.dropouts }, o.skips);
  return searchSpace<SpaceModel>(
    { numLayers: choice(o.layerCounts), layers: repeat('numLayers', body) },
    {
      build: (arch) => {
        const head = [dense(o.outputUnits, { activation: o.outputActivation ?? 'linear' })];
        return wire(arch, o.inputShape, (b) => [dense((b.units ?? o.units[0]) as number, { activation: 'linear' }), ...tail(b, o)], head);
      },
    },
  );
}

/**
 * A space of small convolutional networks for channels-last images: the number of convolution blocks, then
 * per block its kind (3x3, 5x5, depthwise-separable 3x3), filters, activation, normalization, dropout and
 * skip connection (channel concatenation; 'same' padding keeps every block's height and width); then a 2x2
 * max pool, global average pooling and a dense output layer.
 */
export function cnnSpace(options: CnnSpaceOptions): SearchSpace<SpaceModel> {
  checkCommon('cnnSpace', options);
  if (options.inputShape.length !== 3) throw new NNError(ErrorCode.InvalidArgument, `cnnSpace: inputShape must be [height, width, channels], got ${JSON.stringify(options.inputShape)}`);
  check('cnnSpace', 'kinds', options.kinds, (v) => KINDS.includes(v as string), KINDS.join('/'));
  check('cnnSpace', 'filters', options.filters, (v) => Number.isInteger(v) && (v as number) > 0, 'positive integers');
  const o = { layerCounts: [1, 2, 3], kinds: KINDS, filters: [8, 16, 32], activations: ['relu', 'elu'], normalizations: ['none', 'batch'], dropouts: [0, 0.2], skips: true, ...options };
  const body = blockDecisions({ kind: o.kinds, filters: o.filters, activation: o.activations, normalization: o.normalizations, dropout: o.dropouts }, o.skips);
  const conv = (b: Block): Layer[] => {
    const kind = (b.kind ?? o.kinds[0]) as string;
    const filters = (b.filters ?? o.filters[0]) as number;
    if (kind === 'depthwise3') return [depthwiseConv2d({ kernelSize: 3, padding: 'same' }), conv2d(filters, { kernelSize: 1 })];
    return [conv2d(filters, { kernelSize: kind === 'conv5' ? 5 : 3, padding: 'same' })];
  };
  return searchSpace<SpaceModel>(
    { numLayers: choice(o.layerCounts), layers: repeat('numLayers', body) },
    { build: (arch) => wire(arch, o.inputShape, (b) => [...conv(b), ...tail(b, o)], [maxPool2d({ poolSize: 2 }), globalAvgPool(), dense(o.outputUnits, { activation: o.outputActivation ?? 'linear' })]) },
  );
}
