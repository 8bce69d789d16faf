import type { JsonObject } from '@nn/core';
import type { Tensor } from '@nn/tensor';

/**
 * Structural contracts for what other packages provide. @nn/layers must not depend on @nn/optim or
 * @nn/regularize at runtime, so it names only the methods it calls and finds implementations in the registry.
 */

/** What `compile` needs of an optimizer (PyTorch's param-group design). */
export interface OptimizerLike {
  paramGroups: { params: Tensor[] }[];
  addParamGroup(group: { params: Tensor[] }): void;
  /** `gradsOwned`: the training step frees the gradients after the update, so clipping may scale them in place. */
  step(closure?: undefined, options?: { gradsOwned?: boolean }): void;
  zeroGrad(): void;
  stateDict?(): unknown;
  loadStateDict?(state: unknown): void;
  getConfig?(): Record<string, unknown>;
}

/** A weight penalty added to the loss: returns a scalar. */
export interface RegularizerLike {
  penalty(weight: Tensor): Tensor;
}

/** A projection applied to a weight after each optimizer step (in place). */
export interface ConstraintLike {
  apply(weight: Tensor): void;
}

/** One training batch as `fit` hands it to an augmenter. */
export interface AugmentBatch {
  image: Tensor;
  labels: Tensor;
}

/**
 * Anything with `apply({ image, labels })` returning the batch in the same form: the data-augment package's
 * transforms and pipelines plug in here. Labels travel with the images so batch mixers (mixup, cutmix) can
 * mix them; an augmenter that leaves labels alone may return them unchanged or omit them.
 */
export interface AugmenterLike {
  apply(batch: AugmentBatch): { image: Tensor; labels?: Tensor };
}

/** A registered class that rebuilds objects from config data. */
export interface FromConfig<T> {
  fromConfig(config: JsonObject): T;
}
