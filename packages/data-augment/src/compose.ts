import { registry, type JsonObject } from '@nn/core';
import { Augmentation, COMMON_OPTIONS, gate, runEach, type CommonOptions } from './augmentation.js';
import type { Ctx, Sample, Work } from './sample.js';
import { checkOptions, finite, invalid, shapeError, show } from './validate.js';

type Explicit = ReturnType<Augmentation['explicitFormat']>;

/**
 * A transform that holds others. It runs image by image while all its children do (so each image gets its
 * own choices); with a batch mixer among them it works on the whole batch, choosing once per batch.
 */
abstract class Container extends Augmentation {
  readonly transforms: Augmentation[];
  private readonly resolved: Explicit;

  protected constructor(where: string, transforms: readonly Augmentation[], options: CommonOptions, extra: readonly string[] = []) {
    checkOptions(where, options, [...COMMON_OPTIONS, ...extra]);
    super(where, options ?? {});
    if (!Array.isArray(transforms)) throw invalid(where, `expects an array of transforms, got ${show(transforms)}`, { option: 'transforms' });
    transforms.forEach((t, i) => {
      if (!(t instanceof Augmentation)) throw invalid(where, `transforms[${i}] is not a transform (got ${show(t)})`, { option: 'transforms', index: i });
    });
    this.transforms = [...transforms];
    this.resolved = resolveFormat(where, super.explicitFormat(), this.transforms);
  }

  get perSample(): boolean {
    return this.transforms.every((t) => t.perSample);
  }

  override explicitFormat(): Explicit {
    return this.resolved;
  }

  runBatch(work: Work, ctx: Ctx, given?: unknown): unknown {
    if (this.perSample) return runEach(this, work, ctx, given);
    if (given === undefined && !gate(ctx, this.p)) return null;
    if (given === null) return null;
    return this.runChildren(given, (t, g) => t.runBatch(work, ctx, g), ctx);
  }

  override runOne(s: Sample, ctx: Ctx, given?: unknown): unknown {
    if (given === undefined && !gate(ctx, this.p)) return null;
    if (given === null) return null;
    return this.runChildren(given, (t, g) => t.runOne(s, ctx, g), ctx);
  }

  /** Runs the children (all, one, or in some order) on one image or the batch; returns the record. */
  protected abstract runChildren(given: unknown, run: (t: Augmentation, given: unknown) => unknown, ctx: Ctx): unknown;

  protected options(): Record<string, unknown> {
    return { transforms: this.transforms };
  }
}

/**
 * A container's layout, value range and flat image shape: its own, or else the one its children agree on.
 * Children that disagree with each other or with it fail at construction, not in the middle of training.
 */
function resolveFormat(where: string, own: Explicit, children: readonly Augmentation[]): Explicit {
  const out: Explicit = { ...own };
  for (const key of ['layout', 'valueRange', 'imageShape'] as const) {
    for (const child of children) {
      const v = child.explicitFormat()[key];
      if (v === undefined) continue;
      const mine = out[key];
      if (mine === undefined) (out as Record<string, unknown>)[key] = v;
      else if (JSON.stringify(mine) !== JSON.stringify(v)) {
        throw invalid(where, `${child.name} has ${key} ${show(v)} but the pipeline has ${show(mine)}; set ${key} once, on the pipeline`, { option: key });
      }
    }
  }
  return out;
}

/** Applies its transforms in sequence, each with its own probability `p`. */
export class Compose extends Container {
  readonly name = 'compose';

  constructor(transforms: readonly Augmentation[], options: CommonOptions = {}) {
    super('compose', transforms, options);
  }

  protected runChildren(given: unknown, run: (t: Augmentation, given: unknown) => unknown): unknown {
    const rec = given as unknown[] | undefined;
    if (rec !== undefined && (!Array.isArray(rec) || rec.length !== this.transforms.length)) throw shapeError(this.name, `replay: the record does not fit ${this.transforms.length} transforms: ${show(rec)}`);
    return this.transforms.map((t, k) => run(t, rec?.[k]));
  }

  static fromConfig(config: JsonObject): Compose {
    const { transforms, ...rest } = config as unknown as { transforms: Augmentation[] } & CommonOptions;
    return new Compose(transforms, rest);
  }
}

export interface OneOfOptions extends CommonOptions {
  /** Relative chances of the transforms (default equal). */
  weights?: number[];
}

/** Applies one of its transforms, chosen at random (by `weights`); the chosen one still honours its own `p`. */
export class OneOf extends Container {
  readonly name = 'oneOf';
  readonly weights: number[] | undefined;

  constructor(transforms: readonly Augmentation[], options: OneOfOptions = {}) {
    super('oneOf', transforms, options, ['weights']);
    if (this.transforms.length === 0) throw invalid(this.name, 'needs at least one transform', { option: 'transforms' });
    const wts = options?.weights;
    if (wts !== undefined) {
      if (!Array.isArray(wts) || wts.length !== this.transforms.length) {
        throw invalid(this.name, `weights must hold one number per transform (${this.transforms.length}), got ${show(wts)}`, { option: 'weights' });
      }
      wts.forEach((v, i) => {
        if (finite(this.name, `weights[${i}]`, v) < 0) throw invalid(this.name, `weights[${i}] must be non-negative, got ${v}`, { option: 'weights' });
      });
      if (!(wts.reduce((a, b) => a + b, 0) > 0)) throw invalid(this.name, 'weights must not all be 0', { option: 'weights' });
      this.weights = [...wts];
    }
  }

  protected runChildren(given: unknown, run: (t: Augmentation, given: unknown) => unknown, ctx: Ctx): unknown {
    let k: number;
    if (given !== undefined) {
      const g = given as { index: number; record: unknown };
      if (typeof g !== 'object' || !Number.isInteger(g.index) || g.index < 0 || g.index >= this.transforms.length) throw shapeError(this.name, `replay: the record does not fit: ${show(given)}`);
      return { index: g.index, record: run(this.transforms[g.index], g.record) };
    }
    if (this.weights) {
      const total = this.weights.reduce((a, b) => a + b, 0);
      let u = ctx.rng.uniform() * total;
      k = 0;
      while (k < this.weights.length - 1 && (u -= this.weights[k]) >= 0) k++;
    } else k = ctx.rng.int(this.transforms.length);
    return { index: k, record: run(this.transforms[k], undefined) };
  }

  protected override options(): Record<string, unknown> {
    return { transforms: this.transforms, weights: this.weights };
  }

  static fromConfig(config: JsonObject): OneOf {
    const { transforms, ...rest } = config as unknown as { transforms: Augmentation[] } & OneOfOptions;
    return new OneOf(transforms, rest);
  }
}

/** Applies all its transforms in a random order (a new order per image, or per batch with a mixer inside). */
export class RandomOrder extends Container {
  readonly name = 'randomOrder';

  constructor(transforms: readonly Augmentation[], options: CommonOptions = {}) {
    super('randomOrder', transforms, options);
  }

  protected runChildren(given: unknown, run: (t: Augmentation, given: unknown) => unknown, ctx: Ctx): unknown {
    const n = this.transforms.length;
    const g = given as { order: number[]; records: unknown[] } | undefined;
    if (g !== undefined && (typeof g !== 'object' || !Array.isArray(g.order) || g.order.length !== n || !Array.isArray(g.records))) {
      throw shapeError(this.name, `replay: the record does not fit ${n} transforms: ${show(given)}`);
    }
    const order = g ? g.order : Array.from(ctx.rng.permutation(n));
    const records: unknown[] = new Array(n).fill(null);
    for (const k of order) records[k] = run(this.transforms[k], g?.records[k]);
    return { order, records };
  }

  static fromConfig(config: JsonObject): RandomOrder {
    const { transforms, ...rest } = config as unknown as { transforms: Augmentation[] } & CommonOptions;
    return new RandomOrder(transforms, rest);
  }
}

/** Either `(transforms, options)` or one options object `{ transforms, ...options }` (the config's own form). */
type ContainerArgs<O> = [transforms: readonly Augmentation[], options?: O] | [options: O & { transforms: readonly Augmentation[] }];

function split<O>(args: ContainerArgs<O>): [readonly Augmentation[], O | undefined] {
  const [first, second] = args;
  if (!Array.isArray(first) && typeof first === 'object' && first !== null && 'transforms' in first) {
    const { transforms, ...rest } = first as O & { transforms: readonly Augmentation[] };
    return [transforms, rest as O];
  }
  return [first as readonly Augmentation[], second];
}

/** Runs `transforms` in order, each with its own `p`: `compose([...], { seed })` or `compose({ transforms, seed })`. */
export const compose = (...args: ContainerArgs<CommonOptions>): Compose => new Compose(...split(args));
/** Runs one of `transforms`, chosen by `weights`. */
export const oneOf = (...args: ContainerArgs<OneOfOptions>): OneOf => new OneOf(...split(args));
/** Runs all of `transforms` in a random order. */
export const randomOrder = (...args: ContainerArgs<CommonOptions>): RandomOrder => new RandomOrder(...split(args));

registry.register('augmentation', 'compose', Compose);
registry.register('augmentation', 'oneOf', OneOf);
registry.register('augmentation', 'randomOrder', RandomOrder);
