import { ErrorCode, NNError } from '@nn/core';
import { assign, clip, fusedUpdate, keep, mul, neg, noGrad, tidy, type FusedUpdateRule, type FusedUpdateScalars, type Tensor } from '@nn/tensor';
import { clipBounds, clipCoefficient, distinctGrads, totalNorm } from './clip.js';
import { decodeStateDict, encodeStateDict, type OptimizerStateDict } from './state-dict.js';
import { checkOptions, forOptimizer, isLrSchedule, optionalPositive, type Check, type Lr } from './validate.js';
import { gradOf, isTensor, tensorList } from './values.js';

/**
 * Per-parameter state: tensors the shape of the parameter, on its backend (moments), and host scalars (the
 * step), as PyTorch keeps optimizer state where the parameter lives.
 */
export type ParamState = Record<string, Tensor | number>;

/** The tensors of a parameter's state, by name, as an update rule reads and assigns them. */
export type StateTensors = Record<string, Tensor>;

/** A parameter group: tensors sharing hyperparameters (e.g. no weight decay on biases). Edit values freely between steps. */
export type ParamGroup<H> = H & { params: Tensor[] };

/** What `addParamGroup` takes: the tensors, and any hyperparameters that differ from the optimizer's. */
export type ParamGroupInit<H> = Partial<H> & { params: Iterable<Tensor> };

/** The first constructor argument: tensors, or parameter groups as in PyTorch. */
export type Params<H> = Iterable<Tensor> | readonly ParamGroupInit<H>[];

/** Clipping applied to the gradients before every update (not stored in parameter groups: it is global). */
export interface ClipOptions {
  /** Rescale all gradients together when their global 2-norm exceeds this (PyTorch's clip_grad_norm_). */
  clipNorm?: number | null;
  /**
   * Clamp every gradient coordinate to [-clipValue, clipValue] (PyTorch's clip_grad_value_), or, given a
   * pair [a, b], to [a, b] (the course's max(min(g, b), a)).
   */
  clipValue?: number | readonly [number, number] | null;
}

/** Hyperparameters as the update rule sees them for one step: the lr (and momentum) read from any schedule. */
export type Resolved<H> = Omit<H, 'lr'> & { lr: number };

/** How the gradient is transformed before the update rule sees it: clipNorm's coefficient, clipValue's bounds, maximize. */
interface GradTransform {
  coef: Tensor | null;
  lo: number;
  hi: number;
  /** The distinct gradient buffers clipNorm scales (one per buffer autograd handed out). */
  distinct: Tensor[];
}

export interface StepOptions {
  /**
   * The caller owns the gradients and frees them after the step, as `trainStep` in @nn/layers does: clipping
   * by norm then scales them in place (one pass, no new buffer per parameter) instead of updating from a
   * scaled copy of each. `.grad` then holds the clipped gradient, as after PyTorch's `clip_grad_norm_`.
   */
  gradsOwned?: boolean;
}

/** What a concrete optimizer declares: its names, defaults, option checks and state layout. */
export interface OptimizerSpec<H> {
  /** Registry name (lowercase). */
  name: string;
  /** Class name, for messages. */
  title: string;
  defaults: H;
  checks: { [K in keyof H]: Check<H[K]> };
  /** The hyperparameter a momentum-cycling schedule drives. */
  momentum?: 'momentum' | 'beta1';
  /** State entries: scalars ('number') or buffers the size of the parameter ('array'). */
  state: Record<string, 'number' | 'array'>;
  /** Checks across options (nesterov needs momentum). */
  crossCheck?(where: string, hp: H): void;
}

/** Every optimizer's hyperparameters include a learning rate. */
export interface BaseHyper {
  lr: Lr;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !isTensor(v) && typeof (v as Iterable<unknown>)[Symbol.iterator] !== 'function';

/**
 * The base of every optimizer, in PyTorch's design: parameter groups with their own hyperparameters,
 * per-parameter state created at a parameter's first update, `step`/`zeroGrad`, and state dicts. A
 * subclass supplies only its spec and its update rule: host-side constants for the step, and the formula
 * over tensors (PyTorch's single-tensor form), which a backend may replace by a fused kernel. State lives
 * in tensors on the parameter's backend, so a step on a device backend reads nothing back.
 */
export abstract class Optimizer<H extends BaseHyper = BaseHyper> {
  /** The parameter groups, in order. */
  readonly paramGroups: ParamGroup<H>[] = [];
  /** The hyperparameters new groups start from (the constructor's options over the defaults). */
  readonly defaults: Readonly<H>;
  readonly clipNorm: number | null;
  readonly clipValue: number | readonly [number, number] | null;
  protected readonly spec: OptimizerSpec<H>;
  private state = new Map<Tensor, ParamState>();
  private steps = 0;
  /** The last step's global gradient norm, on the device until someone asks for it. */
  private gradNorm: Tensor | number | null = null;

  protected constructor(spec: OptimizerSpec<H>, paramsOrOptions?: Params<H> | (Partial<H> & ClipOptions), maybeOptions?: Partial<H> & ClipOptions) {
    this.spec = spec;
    let params: Params<H> | undefined;
    let options: Partial<H> & ClipOptions;
    if (paramsOrOptions === undefined || paramsOrOptions === null || isPlainObject(paramsOrOptions)) {
      if (maybeOptions !== undefined) throw new NNError(ErrorCode.InvalidArgument, `${spec.title}: the first argument must be the parameters (an array of tensors or of parameter groups) when options are given second`);
      options = (paramsOrOptions ?? {}) as Partial<H> & ClipOptions;
    } else {
      params = paramsOrOptions as Params<H>;
      options = maybeOptions ?? {};
    }
    if (!isPlainObject(options)) throw new NNError(ErrorCode.InvalidArgument, `${spec.title}: options must be an object, got ${String(options)}`);
    const hyperNames = Object.keys(spec.defaults);
    const { clipNorm, clipValue, ...hyper } = options;
    [this.clipNorm, this.clipValue] = forOptimizer(spec.title, () => {
      checkOptions(spec.title, options, [...hyperNames, 'clipNorm', 'clipValue']);
      const value = Array.isArray(clipValue) ? Object.freeze(clipBounds(spec.title, 'clipValue', clipValue)) : optionalPositive(spec.title, 'clipValue', clipValue);
      return [optionalPositive(spec.title, 'clipNorm', clipNorm), value];
    });
    this.defaults = Object.freeze(this.checkHyper(spec.title, { ...spec.defaults, ...hyper } as H));
    if (params !== undefined) {
      const iterable = typeof (params as Iterable<unknown>)[Symbol.iterator] === 'function';
      if (!isTensor(params) && !iterable) throw new NNError(ErrorCode.InvalidArgument, `${spec.title}: parameters must be an array of tensors or of parameter groups, got ${String(params)}`);
      const list = isTensor(params) ? [params] : [...(params as Iterable<Tensor | ParamGroupInit<H>>)];
      if (list.length === 0) throw new NNError(ErrorCode.InvalidArgument, `${spec.title}: got an empty parameter list; leave the parameters out (new ${spec.title}({ ... })) to bind them later`);
      if (list.every(isTensor)) this.addParamGroup({ params: list as Tensor[] } as unknown as ParamGroupInit<H>);
      else if (list.every((g) => isPlainObject(g))) (list as ParamGroupInit<H>[]).forEach((g) => this.addParamGroup(g));
      else throw new NNError(ErrorCode.InvalidArgument, `${spec.title}: parameters must be all tensors or all parameter groups ({ params, ...options })`);
    }
  }

  /** The registry name of this optimizer ('adam'). */
  get name(): string {
    return this.spec.name;
  }

  /** Steps taken: schedules are read at this step (0 for the first update). Restored by loadStateDict. */
  get stepCount(): number {
    return this.steps;
  }

  /**
   * Adds a group of parameters, with hyperparameters that override the optimizer's (a lower lr for a
   * pretrained trunk, no weight decay on biases). A parameter may belong to one group only.
   */
  addParamGroup(init: ParamGroupInit<H>): void {
    const where = `${this.spec.title}.addParamGroup`;
    if (!isPlainObject(init)) throw new NNError(ErrorCode.InvalidArgument, `${where}: expected { params, ...options }, got ${String(init)}`);
    forOptimizer(where, () => checkOptions(where, init, ['params', ...Object.keys(this.spec.defaults)]));
    if (init.params === undefined) throw new NNError(ErrorCode.InvalidArgument, `${where}: params is required`);
    const params = tensorList(where, init.params);
    const taken = new Set(this.paramGroups.flatMap((g) => g.params));
    const mine = new Set<Tensor>();
    params.forEach((p, i) => {
      if (p.dtype !== undefined && p.dtype !== 'float32') throw new NNError(ErrorCode.InvalidArgument, `${where}: params[${i}] is a ${p.dtype} tensor; only float32 tensors can be optimized`, { index: i });
      if (taken.has(p)) throw new NNError(ErrorCode.InvalidArgument, `${where}: params[${i}] (shape [${p.shape.join(',')}]) already belongs to another parameter group`, { index: i });
      if (mine.has(p)) throw new NNError(ErrorCode.InvalidArgument, `${where}: params[${i}] (shape [${p.shape.join(',')}]) appears twice in this group`, { index: i });
      mine.add(p);
    });
    const { params: _ignored, ...overrides } = init;
    const hyper = this.checkHyper(this.spec.title, { ...this.defaults, ...overrides } as H);
    this.paramGroups.push({ ...hyper, params } as ParamGroup<H>);
  }

  /** Forgets every gradient (`grad = null`, PyTorch's default), so the next backward starts from nothing. */
  zeroGrad(): void {
    for (const g of this.paramGroups) for (const p of g.params) p.grad = null;
  }

  /**
   * Updates every parameter that has a gradient, in place and on the parameter's backend (nothing is read
   * back). `closure`, if given, is called first (it should recompute the loss and the gradients) and its
   * value returned, as in PyTorch.
   */
  step(closure?: () => number, { gradsOwned = false }: StepOptions = {}): number | undefined {
    const loss = closure?.();
    noGrad(() => {
      const global = this.gradTransform();
      if (gradsOwned && global.coef) {
        for (const g of global.distinct) assign(g, g, { scale: global.coef });
        global.coef.dispose();
        global.coef = null;
      }
      for (const group of this.paramGroups) {
        const hp = this.resolve(group);
        const flip = (group as { maximize?: boolean }).maximize === true;
        for (const p of group.params) {
          const grad = gradOf(this.spec.title, p);
          if (!grad) continue;
          let st = this.state.get(p);
          if (!st) this.state.set(p, (st = keepState(this.initState(p, hp))));
          const g = this.transformed(grad, global, flip);
          this.update(p, g, st, hp);
          if (g !== grad) g.dispose();
        }
      }
      global.coef?.dispose();
    });
    this.steps++;
    return loss;
  }

  /**
   * The global gradient norm measured at the last step (when clipNorm is set), for logging. Reading it is a
   * readback on a device backend, made only when asked.
   */
  get lastGradNorm(): number | null {
    if (this.gradNorm !== null && typeof this.gradNorm !== 'number') {
      const t = this.gradNorm;
      this.gradNorm = t.item();
      t.dispose();
    }
    return this.gradNorm;
  }

  /** The lr the next step will use in group `group` (a schedule is read at the current step): what callbacks log. */
  currentLr(group = 0): number {
    const g = this.paramGroups[group] ?? (this.paramGroups.length === 0 && group === 0 ? this.defaults : undefined);
    if (!g) throw new NNError(ErrorCode.InvalidArgument, `${this.spec.title}.currentLr: no parameter group ${group} (there are ${this.paramGroups.length})`);
    return this.resolve(g).lr;
  }

  /** The state of one parameter (undefined before its first update): tensors on its backend; read-only by convention. */
  getState(param: Tensor): Readonly<ParamState> | undefined {
    return this.state.get(param);
  }

  /** The options that rebuild this optimizer (without parameters): what `serialize` stores. */
  getConfig(): Record<string, unknown> {
    const config: Record<string, unknown> = { ...this.defaults };
    if (this.clipNorm !== null) config.clipNorm = this.clipNorm;
    if (this.clipValue !== null) config.clipValue = typeof this.clipValue === 'number' ? this.clipValue : [...this.clipValue];
    return config;
  }

  /**
   * Everything needed to resume: the step count, every parameter's state (buffers as base64 float32) and
   * the groups' hyperparameters, as JSON data. Parameters are referred to by position, as in PyTorch.
   */
  stateDict(): OptimizerStateDict {
    return encodeStateDict(this.spec, this.steps, this.paramGroups, this.state);
  }

  /**
   * Restores a state dict. The optimizer must have the same groups with the same parameter shapes; a
   * mismatch (another model, another optimizer) is refused with an error saying what differs, and
   * nothing is changed unless everything checks out.
   */
  loadStateDict(stateDict: OptimizerStateDict): void {
    const { steps, state, hyper } = decodeStateDict(this.spec, this.paramGroups, stateDict, (where, h) => this.checkHyper(where, h as H));
    // A parameter's state must hold every entry a first update would make (a missing moment would fail mid-step).
    let index = 0;
    this.paramGroups.forEach((group, gi) => {
      for (const p of group.params) {
        const st = state.get(p);
        if (st) {
          const fresh = this.initState(p, { ...hyper[gi], lr: 0 } as unknown as Resolved<H>);
          const missing = Object.keys(fresh).filter((k) => !(k in st));
          disposeState(fresh);
          if (missing.length) {
            for (const loaded of state.values()) disposeState(loaded);
            throw new NNError(ErrorCode.StateMismatch, `${this.spec.title}.loadStateDict: state of parameter ${index} lacks ${missing.join(', ')}`, { index, missing });
          }
        }
        index++;
      }
    });
    hyper.forEach((h, i) => Object.assign(this.paramGroups[i], h));
    for (const old of this.state.values()) disposeState(old);
    for (const st of state.values()) keepState(st);
    this.state = state;
    this.steps = steps;
  }

  toString(): string {
    return `${this.spec.title}(${this.paramGroups.length} group${this.paramGroups.length === 1 ? '' : 's'}, ${this.paramGroups.reduce((n, g) => n + g.params.length, 0)} params, step ${this.steps})`;
  }

  /** Fresh state for `param`: its tensors made on the parameter's backend (`fullLike`). */
  protected abstract initState(param: Tensor, hp: Resolved<H>): ParamState;

  /**
   * The update rule for one parameter: updates `param` and the tensors of `state` in place from the
   * (clipped) gradient `grad`, through {@link applyRule}.
   */
  protected abstract update(param: Tensor, grad: Tensor, state: ParamState, hp: Resolved<H>): void;

  private checkHyper(where: string, hyper: H): H {
    return forOptimizer(where, () => {
      const out = {} as H;
      for (const key of Object.keys(this.spec.defaults) as (keyof H & string)[]) {
        const check = this.spec.checks[key];
        out[key] = check(where, key, hyper[key]);
      }
      this.spec.crossCheck?.(where, out);
      return out;
    });
  }

  private resolve(group: H): Resolved<H> {
    const lr = group.lr;
    if (!isLrSchedule(lr)) return group as Resolved<H>;
    const value = lr.lrAt(this.steps);
    if (typeof value !== 'number' || !(value >= 0)) throw new NNError(ErrorCode.InvalidArgument, `${this.spec.title}: the lr schedule gave ${String(value)} at step ${this.steps}; an lr must be a non-negative number`, { step: this.steps });
    const hp = { ...group, lr: value } as Resolved<H>;
    const momentum = this.spec.momentum && lr.momentumAt ? lr.momentumAt(this.steps) : undefined;
    if (momentum !== undefined) {
      if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) throw new NNError(ErrorCode.InvalidArgument, `${this.spec.title}: the schedule gave momentum ${String(momentum)} at step ${this.steps}; it must be in [0, 1)`, { step: this.steps });
      const h = hp as unknown as { momentum?: number; betas?: [number, number] };
      if (this.spec.momentum === 'momentum') h.momentum = momentum;
      else h.betas = [momentum, h.betas![1]];
    }
    return hp;
  }

  private gradTransform(): GradTransform {
    const t: GradTransform = { coef: null, lo: -Infinity, hi: Infinity, distinct: [] };
    if (this.gradNorm !== null && typeof this.gradNorm !== 'number') this.gradNorm.dispose();
    this.gradNorm = null;
    if (this.clipNorm !== null) {
      const params: Tensor[] = [];
      for (const group of this.paramGroups) params.push(...group.params);
      const { all: grads, distinct } = distinctGrads(this.spec.title, params);
      t.distinct = distinct;
      if (grads.length) {
        // The norm and the coefficient stay on the device: the step needs no readback.
        const maxNorm = this.clipNorm;
        const [norm, coef] = tidy(() => {
          const n = totalNorm(grads, 2);
          return [n, clipCoefficient(n, maxNorm)];
        });
        this.gradNorm = norm;
        t.coef = coef;
      } else {
        this.gradNorm = 0;
      }
    }
    if (this.clipValue !== null) [t.lo, t.hi] = typeof this.clipValue === 'number' ? [-this.clipValue, this.clipValue] : this.clipValue;
    return t;
  }

  /** The gradient clipped (and negated for maximize) as a new tensor: the user's `.grad` is left as it was. */
  private transformed(grad: Tensor, { coef, lo, hi }: GradTransform, flip: boolean): Tensor {
    if (!coef && lo === -Infinity && hi === Infinity && !flip) return grad;
    return tidy(() => {
      let g = coef ? mul(grad, coef) : grad;
      if (lo !== -Infinity || hi !== Infinity) g = clip(g, lo, hi);
      return flip ? neg(g) : g;
    });
  }
}

/**
 * Takes a parameter's state tensors out of any enclosing `tidy`: state made at a first update inside a user's
 * `tidy(() => { loss.backward(); opt.step(); })` would otherwise be disposed when that tidy ends.
 */
function keepState(st: ParamState): ParamState {
  for (const v of Object.values(st)) if (typeof v !== 'number') keep(v);
  return st;
}

/** Disposes the tensors of a parameter's state. */
function disposeState(st: ParamState): void {
  for (const v of Object.values(st)) if (typeof v !== 'number') v.dispose();
}

/**
 * Applies one update rule to `param` and its `state` tensors: the backend's fused kernel where it has one
 * (one pass, in place), else `rule` — the same formula over tensor ops, written once, which `assign`s its
 * results. `scalars` are the step's host-side constants, as the kernel documents them (`Backend.fusedUpdate`).
 */
export function applyRule(name: FusedUpdateRule, param: Tensor, grad: Tensor, state: StateTensors, scalars: FusedUpdateScalars, rule: (w: Tensor, g: Tensor, st: StateTensors, k: FusedUpdateScalars) => void): void {
  if (fusedUpdate(name, param, grad, state, scalars)) return;
  tidy(() => rule(param, grad, state, scalars));
}

/** The tensors of a parameter's state (its scalars left out). */
export function stateTensors(st: ParamState): StateTensors {
  const out: StateTensors = {};
  for (const [k, v] of Object.entries(st)) if (typeof v !== 'number') out[k] = v;
  return out;
}
