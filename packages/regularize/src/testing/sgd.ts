import type { OptimizerLike } from '@nn/layers';
import { mul, noGrad, sub, type Tensor } from '@nn/tensor';

/**
 * Plain SGD (`p -= lr * grad`) for this package's tests, so they need no dependency on @nn/optim.
 * Not exported from the package.
 */
export class PlainSGD implements OptimizerLike {
  paramGroups: { params: Tensor[] }[] = [];
  constructor(readonly lr = 0.1) {}
  addParamGroup(group: { params: Tensor[] }): void {
    this.paramGroups.push(group);
  }
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }
  step(): void {
    noGrad(() => {
      for (const g of this.paramGroups) for (const p of g.params) if (p.grad) p.assign(sub(p, mul(p.grad, this.lr)));
    });
  }
}
