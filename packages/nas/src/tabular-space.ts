import type { SpaceModel } from './spaces.js';
import { mlpSpace } from './spaces.js';
import type { SearchSpace } from './space.js';

/**
 * The space of the shipped tabular benchmark: 1–3 dense blocks of 16 or 64 units, relu or tanh, each
 * block after the first may concatenate the input or an earlier block's output — 420 architectures, for
 * the 8x8 digits (64 features, 10 classes, logits).
 */
export function digitsMlpSpace(): SearchSpace<SpaceModel> {
  return mlpSpace({
    inputShape: [64],
    outputUnits: 10,
    layerCounts: [1, 2, 3],
    units: [16, 64],
    activations: ['relu', 'tanh'],
    normalizations: ['none'],
    dropouts: [0],
    skips: true,
  });
}
