/** @module @nn/nas */
export { choice, repeat, skipConnection, searchSpace, SearchSpace, type Architecture, type Builder, type Choice, type Decision, type DecisionValue, type Picker, type Repeat, type SkipConnection, type Slot } from './space.js';
export { mlpSpace, cnnSpace, type ReadySpaceOptions, type MlpSpaceOptions, type CnnSpaceOptions, type SpaceModel } from './spaces.js';
export type { Candidate, Strategy, StrategyOptions } from './strategy.js';
export { RandomArchitectures } from './random-architectures.js';
export { RegularizedEvolution, type Member, type RegularizedEvolutionOptions } from './regularized-evolution.js';
export { ReinforceController, type ReinforceControllerOptions } from './reinforce-controller.js';
export { search, type EvaluateFunction, type EvaluationContext, type EvaluationResult, type SearchOptions, type SearchRecord, type SearchResult } from './search.js';
export type { EvaluateModule } from './evaluate-workers.js';
export { digitsMlpSpace } from './tabular-space.js';
export { digitsMlpBenchmark, type TabularBenchmark, type TabularEntry } from './tabular.js';
