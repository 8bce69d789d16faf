// A small MLP over plain tensor ops: the workload of the gpujs memory test, the soak script, the loss-curve
// comparison with the cpu backend and the benchmark. Its parameters are updated by @nn/optim's optimizers
// (in place, on the device), as a real training loop is.
import * as nn from '../index.js';
import type { Tensor } from '../index.js';

export interface Mlp {
  /** Kernels and biases, in order; they keep their identity (optimizers update them in place). */
  params: Tensor[];
  /** The mean cross-entropy of the logits for (x, labels), recorded for backward. */
  loss(x: Tensor, labels: Tensor): Tensor;
}

/** Weights from a seeded generator, so every backend starts from the same numbers. */
export function makeMlp(sizes: readonly number[], { seed = 1 }: { seed?: number } = {}): Mlp {
  const g = new nn.Generator(seed);
  const params: Tensor[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const bound = Math.sqrt(6 / (sizes[i] + sizes[i + 1]));
    const w = nn.tensor(Float32Array.from({ length: sizes[i] * sizes[i + 1] }, () => (2 * g.uniform() - 1) * bound), [sizes[i], sizes[i + 1]]);
    params.push(w, nn.zeros([sizes[i + 1]]));
  }
  params.forEach((p) => (p.requiresGrad = true));
  return {
    params,
    loss(x, labels) {
      let h = x;
      for (let i = 0; i < params.length; i += 2) {
        h = nn.add(nn.matmul(h, params[i]), params[i + 1]);
        if (i + 2 < params.length) h = nn.relu(h);
      }
      return nn.neg(nn.mean(nn.sum(nn.mul(nn.logSoftmax(h), nn.oneHot(labels, h.shape[1])), 1)));
    },
  };
}

/** What a step needs of an optimizer (@nn/optim's): `zeroGrad` and `step`. */
export interface StepOptimizer {
  zeroGrad(): void;
  step(): unknown;
}

/**
 * One training step: forward, backward, the optimizer's update, and release of the gradients. Returns the
 * loss tensor (detached): read it only when needed, since that is the step's one readback.
 */
export function trainMlp(mlp: Mlp, optimizer: StepOptimizer, x: Tensor, labels: Tensor): Tensor {
  optimizer.zeroGrad();
  const loss = nn.tidy(() => {
    const l = mlp.loss(x, labels);
    l.backward();
    for (const p of mlp.params) if (p.grad) nn.keep(p.grad);
    return nn.detach(l);
  });
  nn.noGrad(() => optimizer.step());
  for (const p of mlp.params) {
    p.grad?.dispose();
    p.grad = null;
  }
  return loss;
}

/** A seeded toy classification set: `n` points in `features` dims, labelled by which of `classes` centres is nearest. */
export function makeData(n: number, features: number, classes: number, seed = 2): { x: Float32Array; labels: Float32Array } {
  const g = new nn.Generator(seed);
  const centres = Array.from({ length: classes }, () => Array.from({ length: features }, () => 2 * g.normal()));
  const x = new Float32Array(n * features);
  const labels = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const c = g.int(classes);
    labels[i] = c;
    for (let j = 0; j < features; j++) x[i * features + j] = centres[c][j] + g.normal();
  }
  return { x, labels };
}
