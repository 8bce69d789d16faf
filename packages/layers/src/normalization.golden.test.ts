import { describe, it } from 'vitest';
import { mul, sum, tensor } from '@nn/tensor';
import golden from './fixtures/norm.json';
import { batchNorm, layerNorm } from './index.js';
import { expectClose } from './testing/close.js';

describe('normalization against PyTorch 1.13', () => {
  it('batchNorm: training forward, backward, running statistics, inference', () => {
    const g = golden.batchNorm;
    const layer = batchNorm({ momentum: g['momentum(torch convention: new = (1-m)*old + m*batch)'], eps: g.eps });
    const x = tensor(golden.x);
    x.requiresGrad = true;
    layer.ensureBuilt(x.shape);
    layer.setWeights([g.gamma, g.beta, new Array(6).fill(0), new Array(6).fill(1)]);
    const y = layer.apply(x, { training: true });
    expectClose(y, g.y_train, 1e-5, 'y_train');
    sum(mul(y, tensor(golden.upstream))).backward();
    expectClose(x.grad!, g.dL_dx, 1e-5, 'dL/dx');
    expectClose(layer.gamma!.grad!, g.dL_dgamma, 1e-5, 'dL/dgamma');
    expectClose(layer.beta!.grad!, g.dL_dbeta, 1e-5, 'dL/dbeta');
    expectClose(layer.runningMean, g.runningMean_after_one_batch, 1e-5, 'running mean');
    expectClose(layer.runningVar, g['runningVar_after_one_batch(unbiased)'], 1e-5, 'running var');
    expectClose(layer.apply(tensor(golden.x), { training: false }), g.y_inference, 1e-5, 'y_inference');
  });

  it('layerNorm: forward and backward', () => {
    const g = golden.layerNorm;
    const layer = layerNorm({ eps: g.eps });
    const x = tensor(golden.x);
    x.requiresGrad = true;
    layer.ensureBuilt(x.shape);
    layer.setWeights([g.gamma, g.beta]);
    const y = layer.apply(x);
    expectClose(y, g.y, 1e-5, 'y');
    sum(mul(y, tensor(golden.upstream))).backward();
    expectClose(x.grad!, g.dL_dx, 1e-5, 'dL/dx');
    expectClose(layer.gamma!.grad!, g.dL_dgamma, 1e-5, 'dL/dgamma');
    expectClose(layer.beta!.grad!, g.dL_dbeta, 1e-5, 'dL/dbeta');
  });
});
