/** @module @nn/regularize */
export { L1, L2, L1L2, l1, l2, l1l2, DEFAULT_FACTOR } from './l1l2.js';
export { Dropout, dropout, type DropoutOptions } from './dropout.js';
export { EarlyStopping, earlyStopping, type EarlyStoppingOptions, type EarlyStoppingMode } from './early-stopping.js';
export { LabelSmoothing, labelSmoothing, smoothLabels, type SmoothingMode } from './label-smoothing.js';
export { MaxNorm, maxNorm, type MaxNormOptions } from './max-norm.js';
export type { Regularizer, Constraint, RegularizerClass, ConstraintClass } from './kinds.js';
