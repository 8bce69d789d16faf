/** @module @nn/hpo */
export type {
  Direction,
  Distribution,
  FrozenTrial,
  ParamValue,
  Pruner,
  PrunerClass,
  Sampler,
  SamplerClass,
  Storage,
  StorageClass,
  StudyRecord,
  StudyView,
  TrialState,
} from './types.js';
export { RNG } from './rng.js';
export {
  categoricalDistribution,
  compatibilityError,
  contains,
  describeDistribution,
  distributionsEqual,
  floatDistribution,
  fromInternal,
  gridValues,
  intDistribution,
  internalBounds,
  isSingle,
  toInternal,
  validateDistribution,
} from './distributions.js';
export { dominates, paretoFront } from './pareto.js';
export { Trial, TrialPruned, isTrialPruned, lastStep } from './trial.js';
export { Study, createStudy, deleteStudy, getAllStudyNames, loadStudy, storageFromUrl, type CreateStudyOptions, type Objective, type ObjectiveResult, type ObjectiveModule, type OptimizeOptions } from './study.js';
export { InMemoryStorage, isFinished } from './storage-memory.js';
export { RandomSampler, sampleUniform, type RandomSamplerOptions } from './random-sampler.js';
export { GridSampler, type GridAxis, type GridSamplerOptions } from './grid-sampler.js';
export { NopPruner } from './nop-pruner.js';
export { MedianPruner, PercentilePruner, nanPercentile, type PercentilePrunerOptions } from './median-pruner.js';
export { SuccessiveHalvingPruner, estimateMinResource, type SuccessiveHalvingPrunerOptions } from './successive-halving-pruner.js';
export { HyperbandPruner, type HyperbandPrunerOptions } from './hyperband-pruner.js';
export { SQLiteStorage, loadBetterSqlite3, type DatabaseConstructor, type SQLiteStorageOptions } from './storage-sqlite.js';
export { PostgresStorage, redactUrl, type PostgresStorageOptions } from './storage-postgres.js';
export { copyStudy, type StudyLocation } from './copy-study.js';
export { serveDashboard, type DashboardOptions, type DashboardServer } from './dashboard/server.js';
export { QMCSampler, type QMCSamplerOptions } from './qmc-sampler.js';
export { pruningCallback, type PrunableTrial, type PruningCallbackOptions } from './pruning-callback.js';
export { successiveHalving, type RungResult, type SuccessiveHalvingOptions, type SuccessiveHalvingResult } from './successive-halving.js';
export { plotOptimizationHistory, plotParallelCoordinate, plotParamImportances, plotSlice } from './plots/plots.js';
export { plotIntermediateValues } from './plots/intermediate.js';
export { MainEffectEvaluator, paramImportances, type ImportanceEvaluator } from './plots/importance.js';
export type { PlotOptions } from './plots/svg.js';
export { TPESampler, type TPESamplerOptions } from './tpe-sampler.js';
export { GPSampler, type GPSamplerOptions } from './gp-sampler.js';
export { GPImportanceEvaluator, type GPImportanceOptions } from './gp/importance.js';
export { SobolSequence, SOBOL_MAX_DIMS, type SobolOptions } from './sobol.js';
export { intersectionSearchSpace } from './gp/search-space.js';
export { describeExit, resolveModuleExport, serializeForWorkers, startWorkerProcess, type WorkerProcess } from './worker-processes.js';
