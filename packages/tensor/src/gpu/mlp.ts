// A small MLP trained with plain tensor ops and SGD kept on the device: the workload of the memory test,
// the 10,000-step soak script and the loss-curve comparison with the cpu backend.
import * as nn from '../index.js';
import type { Tensor } from '../index.js';

export interface Mlp {
  params: Tensor[];
  /** One SGD step on (x, labels); returns the loss tensor (read it only when needed: that is a readback). */
  step(x: Tensor, labels: Tensor): Tensor;
}

/** Weights from a seeded generator, so every backend starts from the same numbers. */
export function makeMlp(sizes: readonly number[], { lr = 0.1, seed = 1 }: { lr?: number; seed?: number } = {}): Mlp {
  const g = new nn.Generator(seed);
  const params: Tensor[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const bound = Math.sqrt(6 / (sizes[i] + sizes[i + 1]));
    const w = nn.tensor(Float32Array.from({ length: sizes[i] * sizes[i + 1] }, () => (2 * g.uniform() - 1) * bound), [sizes[i], sizes[i + 1]]);
    params.push(w, nn.zeros([sizes[i + 1]]));
  }
  params.forEach((p) => (p.requiresGrad = true));
  const mlp: Mlp = {
    params,
    step(x, labels) {
      let h = x;
      for (let i = 0; i < mlp.params.length; i += 2) {
        h = nn.add(nn.matmul(h, mlp.params[i]), mlp.params[i + 1]);
        if (i + 2 < mlp.params.length) h = nn.relu(h);
      }
      const depth = h.shape[1];
      const loss = nn.neg(nn.mean(nn.sum(nn.mul(nn.logSoftmax(h), nn.oneHot(labels, depth)), 1)));
      loss.backward();
      // The update stays on the device: new parameter tensors; the old ones are collected and released.
      mlp.params = nn.noGrad(() => mlp.params.map((p) => nn.sub(p, nn.mul(p.grad!, lr))));
      mlp.params.forEach((p) => (p.requiresGrad = true));
      return loss;
    },
  };
  return mlp;
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
