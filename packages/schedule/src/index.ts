/** @module @nn/schedule */
export { isSchedule, type Schedule, type ScheduleClass } from './schedule.js';
export { ConstantSchedule, constant, type ConstantOptions } from './constant.js';
export {
  StepDecay, stepDecay, type StepDecayOptions,
  MultiStep, multiStep, type MultiStepOptions,
  PiecewiseConstant, piecewiseConstant, type PiecewiseConstantOptions,
} from './step.js';
export {
  ExponentialDecay, exponentialDecay, type ExponentialDecayOptions,
  InverseTimeDecay, inverseTimeDecay, type InverseTimeDecayOptions,
  NaturalExpDecay, naturalExpDecay, type NaturalExpDecayOptions,
} from './decay.js';
export { InverseSqrtDecay, inverseSqrtDecay, type InverseSqrtDecayOptions } from './inverse-sqrt.js';
export { CosineDecay, cosineDecay, type CosineDecayOptions } from './cosine.js';
export { PolynomialDecay, polynomialDecay, type PolynomialDecayOptions } from './polynomial.js';
export { WarmRestarts, warmRestarts, type WarmRestartsOptions } from './warm-restarts.js';
export { LinearWarmup, linearWarmup, type LinearWarmupOptions, Warmup, withWarmup, type WarmupOptions, type WarmupConfig } from './warmup.js';
export { SequentialLR, sequentialLR, type SequentialConfig } from './sequential.js';
export { Product, product, type ProductConfig } from './product.js';
export { Cyclic, cyclic, type CyclicOptions, type CyclicMode } from './cyclic.js';
export { OneCycle, oneCycle, type OneCycleOptions, type AnnealStrategy } from './one-cycle.js';
export { ReduceOnPlateau, reduceOnPlateau, type ReduceOnPlateauOptions, type ReduceOnPlateauState } from './reduce-on-plateau.js';
export { linearScaling, type LinearScalingOptions } from './scaling.js';
export { renderSvg, type RenderSvgOptions } from './svg.js';
