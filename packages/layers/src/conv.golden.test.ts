import { describe, expect, it } from 'vitest';
import { mul, sum, tensor, transpose, type Tensor } from '@nn/tensor';
import golden from './fixtures/conv.json';
import { avgPool2d, batchNorm, conv2d, depthwiseConv2d, globalAvgPool, maxPool2d, type Layer } from './index.js';
import { expectClose } from './testing/close.js';

type Case = (typeof golden.cases)[number] & Record<string, unknown>;
const cases = golden.cases as Case[];
const nested = (v: unknown) => v as number[];

/** Runs `layer` on the case's x, backpropagates L = sum(upstream·y) and checks y and dL/dx. */
function forwardBackward(layer: Layer, c: Case, what: string, yKey = 'y_nhwc'): Tensor {
  const x = tensor(nested(c.x_nhwc));
  x.requiresGrad = true;
  const y = layer.apply(x, { training: true });
  expectClose(y, nested(c[yKey]), 1e-5, `${what} y`);
  sum(mul(y, tensor(nested(c.upstream)))).backward();
  expectClose(x.grad!, nested(c.dL_dx), 1e-5, `${what} dL/dx`);
  return x;
}

/** torch's [out, in/groups, kh, kw] as Keras' [kh, kw, in/groups, out]. */
const toKeras = (w: unknown) => transpose(tensor(nested(w)), [2, 3, 1, 0]);

describe('conv layers against PyTorch 1.13 (conv.json)', () => {
  for (const c of cases.filter((k) => k.op === 'conv2d')) {
    const o = c.options as { filters: number; kernelSize: number | [number, number]; strides: number | [number, number]; padding: number | [number, number]; dilation: number; groups: number };
    const what = `conv2d ${JSON.stringify(o)}`;
    it(what, () => {
      const layer = conv2d(o.filters, { kernelSize: o.kernelSize, strides: o.strides, padding: o.padding, dilationRate: o.dilation, groups: o.groups });
      const x = tensor(nested(c.x_nhwc));
      layer.ensureBuilt([null, ...x.shape.slice(1)]);
      layer.setWeights([toKeras(c['weight_torch[out,in/groups,kh,kw]']), nested(c.bias)]);
      expect(layer.computeOutputShape([null, ...x.shape.slice(1)])).toEqual([null, ...tensor(nested(c.y_nhwc)).shape.slice(1)]);
      forwardBackward(layer, c, what);
      expectClose(layer.kernel.grad!, toKeras(c.dL_dweight_torch).toArray(), 1e-5, `${what} dL/dkernel`);
      expectClose(layer.bias!.grad!, nested(c.dL_dbias), 1e-5, `${what} dL/dbias`);
    });
  }

  it('depthwiseConv2d reproduces the groups = channels case (kernel [kh, kw, C, 1] = torch weight permuted (2, 3, 0, 1))', () => {
    const c = cases.find((k) => k.op === 'conv2d' && (k.options as { groups: number }).groups === 4)!;
    const layer = depthwiseConv2d({ kernelSize: 3, padding: 1 });
    layer.ensureBuilt([null, 6, 6, 4]);
    const kernel = transpose(tensor(nested(c['weight_torch[out,in/groups,kh,kw]'])), [2, 3, 0, 1]);
    layer.setWeights([kernel, nested(c.bias)]);
    forwardBackward(layer, c, 'depthwiseConv2d');
    expectClose(layer.kernel.grad!, transpose(tensor(nested(c.dL_dweight_torch)), [2, 3, 0, 1]).toArray(), 1e-5, 'depthwiseConv2d dL/dkernel');
    expectClose(layer.bias!.grad!, nested(c.dL_dbias), 1e-5, 'depthwiseConv2d dL/dbias');
  });

  for (const c of cases.filter((k) => k.op === 'maxPool2d' || k.op === 'avgPool2d')) {
    const o = c.options as { poolSize: number; strides: number; padding: number };
    const what = `${c.op} ${JSON.stringify(o)}`;
    it(what, () => {
      const make = c.op === 'maxPool2d' ? maxPool2d : avgPool2d;
      forwardBackward(make({ poolSize: o.poolSize, strides: o.strides, padding: o.padding }), c, what);
    });
  }

  it('globalAvgPool', () => {
    forwardBackward(globalAvgPool(), cases.find((k) => k.op === 'globalAvgPool2d')!, 'globalAvgPool', 'y');
  });

  it('batchNorm over the channels of an NHWC batch: forward, backward and running statistics', () => {
    const c = cases.find((k) => k.op.startsWith('batchNorm'))!;
    const o = c.options as Record<string, number>;
    const layer = batchNorm({ momentum: o['momentum(torch)'], eps: o.eps });
    layer.ensureBuilt([null, 5, 5, 3]);
    layer.setWeights([nested(c.gamma), nested(c.beta), [0, 0, 0], [1, 1, 1]]);
    forwardBackward(layer, c, 'batchNorm');
    expectClose(layer.gamma!.grad!, nested(c.dL_dgamma), 1e-5, 'dL/dgamma');
    expectClose(layer.beta!.grad!, nested(c.dL_dbeta), 1e-5, 'dL/dbeta');
    expectClose(layer.runningMean, nested(c.runningMean), 1e-5, 'running mean');
    expectClose(layer.runningVar, nested(c['runningVar(unbiased)']), 1e-5, 'running variance');
  });
});
