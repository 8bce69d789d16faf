// A third-party plugin package: its entries are classes with `fromConfig` and `getConfig`, gathered in one
// plugin object the user installs with `use(extras)`. It imports @nn/* (peer dependencies: the user's copies,
// so there is one registry) and registers nothing on import.
import { definePlugin } from '@nn/core';
import { HaltonSampler } from './halton-sampler.js';
import { RandomInvert } from './invert.js';
import { LinearDecay } from './linear-decay.js';
import { Scale } from './scale-layer.js';
import { SignSGD } from './sign-sgd.js';

export { HaltonSampler, LinearDecay, RandomInvert, Scale, SignSGD };

export const extras = definePlugin({
  name: 'nn-extras-example',
  version: '0.1.0',
  register: {
    layer: { scale: Scale },
    optimizer: { signSgd: SignSGD },
    schedule: { linearDecay: LinearDecay },
    augmentation: { randomInvert: RandomInvert },
    sampler: { halton: HaltonSampler },
  },
});
