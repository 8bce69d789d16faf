import { noGrad, sub, mul, type Tensor } from '@nn/tensor';
import type { OptimizerLike } from '../kinds.js';

/**
 * A minimal plain SGD for this package's own tests, so they do not depend on @nn/optim's progress.
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
