/** @module @nn/optim */
import { registry } from '@nn/core';
import { Adadelta } from './adadelta.js';
import { Adagrad } from './adagrad.js';
import { Adam, AdamW } from './adam.js';
import { Adamax } from './adamax.js';
import { NAdam } from './nadam.js';
import type { OptimizerClass } from './registry.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

export { Optimizer, applyRule, stateTensors, type ParamGroup, type ParamGroupInit, type Params, type ParamState, type StateTensors, type ClipOptions, type StepOptions, type Resolved, type OptimizerSpec, type BaseHyper } from './optimizer.js';
export { SGD, sgdUpdate, type SGDHyper, type SGDOptions } from './sgd.js';
export { Adagrad, adagradUpdate, type AdagradHyper, type AdagradOptions } from './adagrad.js';
export { RMSprop, rmspropUpdate, type RMSpropHyper, type RMSpropOptions } from './rmsprop.js';
export { Adadelta, adadeltaUpdate, type AdadeltaHyper, type AdadeltaOptions } from './adadelta.js';
export { Adam, AdamW, adamUpdate, type AdamHyper, type AdamOptions } from './adam.js';
export { NAdam, nadamUpdate, type NAdamHyper, type NAdamOptions } from './nadam.js';
export { Adamax, adamaxUpdate, type AdamaxHyper, type AdamaxOptions } from './adamax.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions, type NormType } from './clip.js';
export { encodeFloat32, decodeFloat32, STATE_DICT_FORMAT, type OptimizerStateDict, type EncodedArray, type SavedParamGroup } from './state-dict.js';
// The option checks an optimizer author needs (lr takes a number or a schedule), named so they clash with nothing.
export { isLrSchedule, lr as lrOption, betas as betasOption, unitInterval as unitIntervalOption, type Lr, type LrSchedule, type Check } from './validate.js';
export { getOptimizer, type OptimizerClass, type OptimizerIdentifier } from './registry.js';

/** The built-in optimizers by registry name: `compile({ optimizer: 'adam' })` and saved configs find them here. */
const builtins: Record<string, OptimizerClass> = { sgd: SGD, adagrad: Adagrad, rmsprop: RMSprop, adadelta: Adadelta, adam: Adam, adamw: AdamW, nadam: NAdam, adamax: Adamax };
for (const [name, cls] of Object.entries(builtins)) registry.register('optimizer', name, cls);
