import type { Tensor } from '@nn/tensor';

/**
 * The logits a sigmoid/softmax output was computed from. Keras does the same (`_keras_logits`): a
 * probability loss on such an output is computed from the logits, exactly, so a saturated sigmoid still
 * gets a gradient (the course's unscaled example depends on it) instead of a clipped, flat loss.
 */
const logits = new WeakMap<Tensor, { kind: 'sigmoid' | 'softmax'; logits: Tensor }>();

export function rememberLogits(output: Tensor, kind: 'sigmoid' | 'softmax', input: Tensor): Tensor {
  logits.set(output, { kind, logits: input });
  return output;
}

export function logitsOf(output: Tensor, kind: 'sigmoid' | 'softmax'): Tensor | undefined {
  const entry = logits.get(output);
  return entry?.kind === kind ? entry.logits : undefined;
}
