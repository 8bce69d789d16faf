import { Dense, activation, batchNorm, dense, getLoss, residual, sequential, type Layer, type Sequential } from '@nn/layers';
import { SGD } from '@nn/optim';
import { noGrad, randn, setSeed, sqrt, square, sum, tensor, type Tensor } from '@nn/tensor';

/** How the hidden layers are built: the plain deep net, or one of the cures the course gives. */
export type DeepNetKind = 'sigmoid' | 'relu' | 'residual' | 'batchNorm';

export interface DeepNetOptions {
  /** Hidden layers (default 10). */
  depth?: number;
  /** Units per hidden layer (default 32). */
  units?: number;
  /** Input features (default 16). */
  features?: number;
}

/**
 * A deep MLP ending in one sigmoid unit. `sigmoid`: `depth` dense sigmoid layers (Glorot init, Keras'
 * default); `relu`: the same with ReLU and He init; `residual`: a dense sigmoid layer, then `depth − 1`
 * residual blocks `a + sigmoid(dense(a))`; `batchNorm`: each layer dense → batch norm → sigmoid.
 */
export function deepNet(kind: DeepNetKind, { depth = 10, units = 32, features = 16 }: DeepNetOptions = {}): Sequential {
  const first = { inputShape: [features] };
  const layers: Layer[] = [];
  for (let i = 0; i < depth; i++) {
    const shape = i === 0 ? first : {};
    if (kind === 'sigmoid') layers.push(dense(units, { activation: 'sigmoid', ...shape }));
    else if (kind === 'relu') layers.push(dense(units, { activation: 'relu', kernelInitializer: 'heNormal', ...shape }));
    else if (kind === 'residual') layers.push(i === 0 ? dense(units, { activation: 'sigmoid', ...shape }) : residual(dense(units, { activation: 'sigmoid' })));
    else layers.push(dense(units, shape), batchNorm(), activation('sigmoid'));
  }
  layers.push(dense(1, { activation: 'sigmoid' }));
  return sequential(layers);
}

/** Standard normal inputs [n, features], labelled 1 where the first two features have the same sign. */
export function demoData(n = 256, features = 16, seed = 0): { x: Tensor; y: Tensor } {
  setSeed(seed);
  const x = randn([n, features]);
  const rows = x.toArray() as number[][];
  return { x, y: tensor(rows.map((r) => [r[0] * r[1] > 0 ? 1 : 0])) };
}

/**
 * The 2-norm of the gradient of the binary cross-entropy with respect to each dense layer's kernel, first
 * layer first, for one batch in training mode (batch norm uses the batch's statistics): what the course
 * plots to show gradients vanishing on their way back to the first layers.
 */
export function layerGradNorms(model: Sequential, x: Tensor, y: Tensor): number[] {
  model.compile({ optimizer: new SGD(), loss: 'binaryCrossentropy' });
  const kernels = model.descendants().filter((l): l is Dense => l instanceof Dense).map((d) => d.kernel);
  for (const k of kernels) k.grad = null;
  getLoss('binaryCrossentropy').compute(y, model.call(x, true)).backward();
  const norms = noGrad(() => kernels.map((k) => sqrt(sum(square(k.grad!))).item()));
  for (const k of kernels) k.grad = null;
  return norms;
}

/** Per-layer gradient norms of each kind of deep net on the same data and seed. */
export function compareGradients(kinds: readonly DeepNetKind[] = ['sigmoid', 'relu', 'residual', 'batchNorm'], options: DeepNetOptions & { seed?: number } = {}): Record<DeepNetKind, number[]> {
  const { seed = 0, ...net } = options;
  const out = {} as Record<DeepNetKind, number[]>;
  for (const kind of kinds) {
    const { x, y } = demoData(256, net.features ?? 16, seed);
    out[kind] = layerGradNorms(deepNet(kind, net), x, y);
  }
  return out;
}
