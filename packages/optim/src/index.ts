import { registry } from '@nn/core';
import { SGD } from './sgd.js';
import type { OptimizerClass } from './registry.js';

export { Optimizer, type ParamGroup, type ParamGroupInit, type Params, type ParamState, type ClipOptions, type Resolved, type OptimizerSpec, type BaseHyper } from './optimizer.js';
export { SGD, sgdUpdate, type SGDHyper, type SGDOptions } from './sgd.js';
export { clipGradNorm, clipGradValue, type ClipGradNormOptions, type NormType } from './clip.js';
export { encodeFloat32, decodeFloat32, STATE_DICT_FORMAT, type OptimizerStateDict, type EncodedArray, type SavedParamGroup } from './state-dict.js';
export { isLrSchedule, type Lr, type LrSchedule } from './validate.js';
export { type OptimizerClass } from './registry.js';

const builtins: Record<string, OptimizerClass> = { sgd: SGD };
for (const [name, cls] of Object.entries(builtins)) registry.register('optimizer', name, cls);
