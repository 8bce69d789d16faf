import type { JsonObject } from '@nn/core';
import { Generator, globalGenerator, type Tensor } from '@nn/tensor';
import { readBatch, writeBatch, type AugmentBatch, type BatchInput, type Format } from './batch.js';
import type { Ctx, Layout, Sample, Work } from './sample.js';
import { finite, invalid, oneOf, positiveInteger, probability, show, shapeError } from './validate.js';

/** Options every transform and container takes. */
export interface CommonOptions {
  /** Probability of applying (per image; per batch for mixers). */
  p?: number;
  /** Seeds this object's own random stream (used when `apply` is called on it; nested transforms draw from the outer one). */
  seed?: number;
  /** 'NHWC' (default) or 'NCHW'. Inside a container, left out means "the container's". */
  layout?: Layout;
  /** The pixel value range: [0, 1] (default) or e.g. [0, 255] (a number `hi` means [0, hi]). Photometric magnitudes are fractions of it. */
  valueRange?: [number, number] | number;
  /** The shape of one image (in the layout's order) when images come as flat rows [N, H·W·C], as an MLP takes them. */
  imageShape?: number[];
}

export const COMMON_OPTIONS = ['p', 'seed', 'layout', 'valueRange', 'imageShape'] as const;

/** What the registry holds under kind `augmentation`: a class that rebuilds a transform from config. */
export interface AugmentationClass {
  fromConfig(config: JsonObject): Augmentation;
}

declare module '@nn/core' {
  interface RegistryKinds {
    augmentation: AugmentationClass;
  }
}

/** The parameters one `apply` sampled: JSON data, which `replay` applies again to other inputs. */
export interface AugmentationParams {
  transform: string;
  images: number;
  record: unknown;
}

/** Whether to apply, given probability `p`: draws from the stream only when the outcome is uncertain. */
export const gate = (ctx: Ctx, p: number): boolean => (p >= 1 ? true : p <= 0 ? false : ctx.rng.uniform() < p);

/** Uniform on [lo, hi]; no draw for a fixed value, so fixing an option does not shift the stream. */
export const uniform = (ctx: Ctx, [lo, hi]: readonly [number, number]): number => (lo === hi ? lo : lo + (hi - lo) * ctx.rng.uniform());

/**
 * The base of every transform, mixer and container. Each owns a seeded random stream, so a pipeline's
 * randomness is reproducible and independent of everything else; it records what it sampled (`lastParams`)
 * and can apply exactly that again (`replay`).
 */
export abstract class Augmentation {
  /** The registered name under kind `augmentation`. */
  abstract readonly name: string;
  readonly p: number;
  /** Options as given (for getConfig), before any inheritance. */
  protected readonly own: { seed?: number; layout?: Layout; valueRange?: [number, number]; imageShape?: number[] };
  private gen: Generator | undefined;
  private seedValue: number | undefined;
  private last: AugmentationParams | undefined;

  protected constructor(where: string, options: CommonOptions, defaultP = 1) {
    this.p = probability(where, 'p', options.p ?? defaultP);
    this.own = {};
    if (options.seed !== undefined) this.seedValue = this.own.seed = finite(where, 'seed', options.seed);
    if (options.layout !== undefined) this.own.layout = oneOf(where, 'layout', options.layout, ['NHWC', 'NCHW'] as const);
    if (options.valueRange !== undefined) this.own.valueRange = valueRangeOf(where, options.valueRange);
    if (options.imageShape !== undefined) {
      const s = options.imageShape;
      if (!Array.isArray(s) || s.length !== 3) throw invalid(where, `imageShape must be the shape of one image, [H, W, C] (or [C, H, W] for 'NCHW'), got ${show(s)}`);
      this.own.imageShape = s.map((d, i) => positiveInteger(where, `imageShape[${i}]`, d));
    }
  }

  /** True where the transform works image by image (everything but the batch mixers). @internal */
  abstract get perSample(): boolean;

  /** Runs on a whole batch; returns the record that replays it. `given` is a record to replay. @internal */
  abstract runBatch(work: Work, ctx: Ctx, given?: unknown): unknown;

  /** Runs on one image; returns its record (null: not applied). @internal */
  runOne(_s: Sample, _ctx: Ctx, _given?: unknown): unknown {
    throw invalid(this.name, 'works on whole batches only');
  }

  /** The options particular to this transform, for getConfig. */
  protected abstract options(): Record<string, unknown>;

  /** The seed of this object's stream (drawn from the global generator on first use if none was given, so `setSeed` makes it reproducible). */
  get seed(): number {
    this.seedValue ??= globalGenerator.nextUint32();
    return this.seedValue;
  }

  /** Restarts this object's stream, from `seed` or from its own seed. */
  reseed(seed: number = this.seed): this {
    this.seedValue = finite(this.name, 'seed', seed);
    this.gen = new Generator(this.seedValue);
    return this;
  }

  /** The generator behind `apply` (its `getState`/`setState` save and resume a run exactly). */
  get generator(): Generator {
    this.gen ??= new Generator(this.seed);
    return this.gen;
  }

  /** Layout, value range and flat image shape in force when `apply` is called on this object. @internal */
  format(): Format {
    const f = this.explicitFormat();
    return { layout: f.layout ?? 'NHWC', valueRange: f.valueRange ?? [0, 1], imageShape: f.imageShape };
  }

  /** This object's own format settings; containers add those their children set. @internal */
  explicitFormat(): { layout?: Layout; valueRange?: [number, number]; imageShape?: number[] } {
    const { layout, valueRange, imageShape } = this.own;
    return { layout, valueRange, imageShape };
  }

  /** The parameters sampled by the last `apply` (JSON data), for `replay`. */
  get lastParams(): AugmentationParams | undefined {
    return this.last;
  }

  /** Augments an image tensor, or `{ image, mask?, boxes?, boxLabels?, labels? }`, and returns the same form. */
  apply(batch: Tensor): Tensor;
  apply(batch: AugmentBatch): AugmentBatch;
  apply(batch: BatchInput): BatchInput;
  apply(batch: BatchInput): BatchInput {
    const fmt = this.format();
    const { work, form } = readBatch(this.name, batch, fmt);
    const record = this.runBatch(work, { rng: this.generator, valueRange: fmt.valueRange });
    this.last = { transform: this.name, images: work.samples.length, record };
    return writeBatch(work, form, fmt);
  }

  /**
   * Applies recorded parameters (by default those of the last `apply`) to another input with as many images:
   * the same rotation, crop, flip… on a second view, a mask produced later, or a copy at another resolution.
   * It draws nothing from the stream.
   */
  replay(batch: Tensor, params?: AugmentationParams): Tensor;
  replay(batch: AugmentBatch, params?: AugmentationParams): AugmentBatch;
  replay(batch: BatchInput, params?: AugmentationParams): BatchInput;
  replay(batch: BatchInput, params: AugmentationParams | undefined = this.last): BatchInput {
    if (params === undefined) throw invalid(this.name, 'replay: nothing to replay yet (call apply first, or pass the params to replay)');
    if (typeof params !== 'object' || params === null || params.transform !== this.name) {
      throw invalid(this.name, `replay: these params were recorded by ${show((params as AugmentationParams | null)?.transform)}, not by ${this.name}`);
    }
    const fmt = this.format();
    const { work, form } = readBatch(this.name, batch, fmt);
    if (work.samples.length !== params.images) {
      throw shapeError(this.name, `replay: the params were recorded for ${params.images} image(s), got ${work.samples.length}`);
    }
    // Replays draw nothing, but a throwaway stream keeps the contract even for an odd record.
    this.runBatch(work, { rng: new Generator(0), valueRange: fmt.valueRange }, params.record);
    return writeBatch(work, form, fmt);
  }

  /** The options that rebuild this transform (nested transforms appear as transform objects). */
  getConfig(): Record<string, unknown> {
    const { seed, layout, valueRange, imageShape } = this.own;
    return { ...this.options(), p: this.p, seed: seed ?? this.seedValue, layout, valueRange, imageShape };
  }
}

function valueRangeOf(where: string, v: unknown): [number, number] {
  const r = typeof v === 'number' ? [0, v] : v;
  if (!Array.isArray(r) || r.length !== 2 || !r.every((x) => typeof x === 'number' && Number.isFinite(x)) || !(r[0] < r[1])) {
    throw invalid(where, `valueRange must be [min, max] with min < max (or a number max for [0, max]), got ${show(v)}`, { option: 'valueRange', value: v });
  }
  return [r[0], r[1]];
}

/** Runs a per-image operation over a batch; the record is one entry per image. */
export function runEach(t: Augmentation, work: Work, ctx: Ctx, given?: unknown): unknown[] {
  const n = work.samples.length;
  if (given !== undefined && (!Array.isArray(given) || given.length !== n)) {
    throw shapeError(t.name, `replay: expected a record for each of the ${n} image(s), got ${show(given)}`);
  }
  return work.samples.map((s, i) => t.runOne(s, ctx, given === undefined ? undefined : (given as unknown[])[i]));
}

/**
 * A transform that works image by image: it samples parameters for one image (`sample`), then applies
 * them (`transform`) — the split that lets `replay` reuse the parameters on other inputs.
 */
export abstract class SampleTransform<P> extends Augmentation {
  get perSample(): boolean {
    return true;
  }

  /** Whether the generic `p` gate decides if the transform runs (randomFlip uses `p` itself). */
  protected gated = true;

  /** Draws this transform's parameters for one image. */
  protected abstract sample(s: Sample, ctx: Ctx): P;

  /** Applies parameters to one image in place (image, mask and boxes together). */
  protected abstract transform(s: Sample, params: P, ctx: Ctx): void;

  /** Checks that an image suits this transform (channel count…), before sampling or replaying. */
  protected check(_s: Sample): void {}

  override runOne(s: Sample, ctx: Ctx, given?: unknown): unknown {
    this.check(s);
    if (given !== undefined) {
      if (given !== null) this.transform(s, given as P, ctx);
      return given;
    }
    if (this.gated && !gate(ctx, this.p)) return null;
    const params = this.sample(s, ctx);
    this.transform(s, params, ctx);
    return params;
  }

  runBatch(work: Work, ctx: Ctx, given?: unknown): unknown {
    return runEach(this, work, ctx, given);
  }
}
