import { detach, keepOwned, noGrad, tidy, type Tensor } from '@nn/tensor';
import type { Model } from './model.js';

export interface TrainStepOptions {
  /** Update the model's compiled metrics with this batch (default true); a user loop may skip their cost. */
  updateMetrics?: boolean;
  /**
   * Called with the loss after backward, before the update; returning false skips the update (weights,
   * optimizer state and constraints stay as they were). `fit` refuses a non-finite loss this way, so the
   * weights it keeps are the last finite ones.
   */
  beforeUpdate?: (loss: Tensor) => boolean;
}

/**
 * One training step of a compiled model on one batch, the only place a step is written: forward pass,
 * loss plus weight and activity penalties, backward, the optimizer's update (which applies the clipping
 * it was configured with), the weights' constraints, and the release of every gradient it made.
 * `Model.fit` and `trainOnBatch` call it; a custom loop may too (`x`, `y` as `fit` hands them: tensors,
 * checked by the caller). Returns the loss as a scalar tensor the caller owns: read it (`item()`, `await
 * data()`) only when the number is needed, since on a device backend that read is the step's one transfer.
 */
export function trainStep(model: Model, x: Tensor, y: Tensor, { updateMetrics = true, beforeUpdate }: TrainStepOptions = {}): Tensor {
  const { optimizer, loss } = model.requireCompiled('trainStep');
  const params: Tensor[] = [];
  for (const g of optimizer.paramGroups) for (const p of g.params) params.push(p);
  // Weights the optimizer does not hold (a layer unfrozen after compile) still get gradients: clear those too,
  // or the next backward would add into a gradient that tidy has freed.
  const leaves = new Set(params);
  model.forEachWeight((w) => leaves.add(w.value));
  optimizer.zeroGrad();
  for (const p of leaves) p.grad = null;
  // tidy frees the graph's intermediates at once; the gradients are kept for the optimizer, and disposed
  // below whatever happens (so they need no finalizer: keepOwned).
  const total = tidy(() => {
    const out = model.call(x, true);
    const value = model.totalLoss(loss.compute(y, out), true);
    // Before backward, which releases the graph's intermediates (out among them).
    if (updateMetrics) noGrad(() => model.metrics.forEach((m) => m.update(y, out)));
    value.backward();
    for (const p of params) if (p.grad) keepOwned(p.grad);
    return detach(value);
  });
  let update = false;
  try {
    update = beforeUpdate ? beforeUpdate(total) : true;
    // The gradients are freed below: clipping may scale them in place rather than copy each.
    if (update) noGrad(() => optimizer.step(undefined, { gradsOwned: true }));
  } finally {
    // Gradients are consumed (the optimizer copies what it keeps into its own state), so free them now.
    for (const p of leaves) {
      p.grad?.dispose();
      p.grad = null;
    }
  }
  if (update) noGrad(() => model.applyConstraints());
  return total;
}
