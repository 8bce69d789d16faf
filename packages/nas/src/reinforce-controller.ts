import { ErrorCode, NNError, type JsonObject } from '@nn/core';
import { RNG } from '@nn/hpo';
import { lstmCell, type LSTMCell } from '@nn/layers';
import { Adam, type OptimizerStateDict } from '@nn/optim';
import { add, div, exp, logSoftmax, matmul, mul, neg, noGrad, oneHot, sub, sum, tanh, tensor, type Tensor } from '@nn/tensor';
import type { Architecture, Slot } from './space.js';
import { checkReward, checkStrategyOptions, stateEntry, type Candidate, type Strategy, type StrategyOptions } from './strategy.js';

export interface ReinforceControllerOptions extends StrategyOptions {
  /** LSTM units, also the size of the choice embeddings. Default 32 (Zoph & Le use 35). */
  hiddenSize?: number;
  /** Adam's learning rate for the controller. Default 0.01. */
  lr?: number;
  /** Decay of the exponential moving average baseline: b ← decay·b + (1 − decay)·reward. Default 0.9. */
  baselineDecay?: number;
  /** Weight of the entropy bonus added to the objective (keeps the policy exploring). Default 1e-3. */
  entropyWeight?: number;
  /** Logits are divided by it before the tanh/softmax (> 1 keeps the tanh from saturating early). Default 5 (ENAS, Pham et al. 2018). */
  temperature?: number;
  /** With c > 0 the logits are c·tanh(logits / temperature), bounding them to ±c. Default 2.5; 0 turns it off. */
  tanhConstant?: number;
  /**
   * Divide the advantage by a moving estimate of its standard deviation (same decay as the baseline), so the
   * step size does not depend on the reward's scale (validation accuracies differ by 0.01; a toy reward by 1).
   * Default true.
   */
  normalizeAdvantage?: boolean;
  /** Scale of the uniform initialization of every weight, ±initRange. Default 0.08 (Zoph & Le). */
  initRange?: number;
}

/** The controller's weights for one slot: a softmax head over its values and an embedding of the value chosen. */
interface Head {
  kernel: Tensor;
  bias: Tensor;
  embedding: Tensor;
}

/** What a forward pass over one token sequence gives. */
interface Rollout {
  architecture: Architecture;
  indices: number[];
  logProbs: Tensor[];
  entropies: Tensor[];
  /** The log-probabilities of every value at every step (for inspection and tests). */
  distributions: Tensor[];
}

/**
 * The controller of Zoph & Le 2017: an LSTM emits an architecture one decision at a time; each decision has
 * its own softmax over its values, and the value chosen, embedded, is the next step's input. Trained with
 * REINFORCE: after each reward R it ascends A·Σ log p(choice) + β·Σ entropy with A = R − b, b an exponential
 * moving average of the rewards (started at the first one), A divided by its moving RMS unless
 * `normalizeAdvantage: false`.
 */
export class ReinforceController implements Strategy {
  readonly space: StrategyOptions['space'];
  readonly options: Required<Omit<ReinforceControllerOptions, 'space' | 'seed'>>;
  readonly cell: LSTMCell;
  private readonly start: Tensor;
  private readonly heads = new Map<string, Head>();
  private readonly optimizer: Adam;
  private rng: RNG;
  private baseline: number | null = null;
  /** Moving average of the squared advantage (for normalizeAdvantage). */
  private advantageSq = 0;
  private told = 0;

  constructor(options: ReinforceControllerOptions) {
    const where = 'ReinforceController';
    checkStrategyOptions(where, options, ['hiddenSize', 'lr', 'baselineDecay', 'entropyWeight', 'temperature', 'tanhConstant', 'initRange', 'normalizeAdvantage']);
    const o = { hiddenSize: 32, lr: 0.01, baselineDecay: 0.9, entropyWeight: 1e-3, temperature: 5, tanhConstant: 2.5, initRange: 0.08, normalizeAdvantage: true, ...options };
    const positive = (name: string, v: number, int = false) => {
      if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v) || (int && !Number.isInteger(v))) throw new NNError(ErrorCode.InvalidArgument, `${where}: ${name} must be a positive ${int ? 'integer' : 'number'}, got ${String(v)}`);
    };
    positive('hiddenSize', o.hiddenSize, true);
    positive('lr', o.lr);
    positive('temperature', o.temperature);
    positive('initRange', o.initRange);
    if (!(o.baselineDecay >= 0 && o.baselineDecay < 1)) throw new NNError(ErrorCode.InvalidArgument, `${where}: baselineDecay must be in [0, 1), got ${String(o.baselineDecay)}`);
    if (!(o.entropyWeight >= 0)) throw new NNError(ErrorCode.InvalidArgument, `${where}: entropyWeight must be >= 0, got ${String(o.entropyWeight)}`);
    if (!(o.tanhConstant >= 0)) throw new NNError(ErrorCode.InvalidArgument, `${where}: tanhConstant must be >= 0 (0: no clipping), got ${String(o.tanhConstant)}`);
    this.space = o.space;
    const { space: _s, seed: _seed, ...rest } = o;
    this.options = rest;
    this.rng = new RNG(o.seed ?? 0);
    const h = o.hiddenSize;
    const init = new RNG((o.seed ?? 0) + 0x9e3779b9);
    const param = (shape: number[]) => {
      const n = shape.reduce((a, b) => a * b, 1);
      const t = tensor(Float32Array.from({ length: n }, () => init.uniform(-o.initRange, o.initRange)), shape);
      t.requiresGrad = true;
      return t;
    };
    this.cell = lstmCell(h, { unitForgetBias: false });
    this.cell.ensureBuilt([null, h]);
    this.cell.setWeights(this.cell.getWeights().map((w) => param([...w.shape])));
    this.start = param([1, h]);
    for (const slot of this.space.slots()) this.heads.set(slot.path, { kernel: param([h, slot.values.length]), bias: param([slot.values.length]), embedding: param([slot.values.length, h]) });
    this.optimizer = new Adam(this.parameters(), { lr: o.lr });
  }

  /** Every trainable tensor, in a fixed order (the state dict's order). */
  parameters(): Tensor[] {
    return [...this.cell.trainableWeights, this.start, ...[...this.heads.values()].flatMap((hd) => [hd.kernel, hd.bias, hd.embedding])];
  }

  /** The moving-average baseline (null before the first reward). */
  get currentBaseline(): number | null {
    return this.baseline;
  }

  /**
   * Runs the LSTM along the space's walk. Without `forced`, each decision is sampled from its softmax (and
   * the walk decides which decisions exist); with `forced`, those indices are taken (to score a candidate).
   */
  private rollout(forced?: readonly number[]): Rollout {
    const out: Rollout = { architecture: {}, indices: [], logProbs: [], entropies: [], distributions: [] };
    let states = this.cell.initialStates(1);
    let x = this.start;
    const { temperature, tanhConstant } = this.options;
    out.architecture = this.space.walk((slot: Slot) => {
      const head = this.heads.get(slot.path);
      if (!head || head.bias.shape[0] !== slot.values.length) throw new NNError(ErrorCode.StateMismatch, `ReinforceController: the space's decision ${slot.path} is not the one the controller was built for`);
      const step = this.cell.step(x, states);
      states = step.states;
      const z = add(matmul(step.output, head.kernel), head.bias);
      const logits = tanhConstant > 0 ? mul(tanh(div(z, temperature)), tanhConstant) : div(z, temperature);
      const logp = logSoftmax(logits, -1);
      const k = out.indices.length;
      let index: number;
      if (forced) {
        index = forced[k];
        if (!Number.isInteger(index) || index < 0 || index >= slot.values.length) throw new NNError(ErrorCode.InvalidArgument, `ReinforceController: candidate token ${k} (${slot.path}) is ${String(index)}; expected an index below ${slot.values.length}`);
      } else {
        index = sampleIndex(logp.dataSync(), this.rng);
      }
      const pick = oneHot([index], slot.values.length);
      out.indices.push(index);
      out.distributions.push(logp);
      out.logProbs.push(sum(mul(logp, pick)));
      out.entropies.push(neg(sum(mul(exp(logp), logp))));
      x = matmul(pick, head.embedding);
      return index;
    });
    if (forced && forced.length !== out.indices.length) throw new NNError(ErrorCode.InvalidArgument, `ReinforceController: the candidate has ${forced.length} tokens; its architecture has ${out.indices.length} decisions`);
    return out;
  }

  ask(): Candidate {
    const { architecture, indices } = noGrad(() => this.rollout());
    return { architecture, meta: { tokens: indices } };
  }

  /** The tokens of a candidate: those the controller recorded, else the architecture's (a candidate from elsewhere). */
  private tokens(candidate: Candidate): number[] {
    const recorded = candidate?.meta?.tokens;
    if (Array.isArray(recorded)) return recorded as number[];
    return this.space.indices(candidate.architecture).map((d) => d.index);
  }

  /**
   * The REINFORCE loss of one candidate with advantage A = reward − baseline (minimized):
   * −A·Σ log p(token) − entropyWeight·Σ entropy. Its gradient is the policy gradient estimate.
   */
  loss(candidate: Candidate, advantage: number): Tensor {
    const r = this.rollout(this.tokens(candidate));
    const logProb = r.logProbs.reduce((a, b) => add(a, b));
    const entropy = r.entropies.reduce((a, b) => add(a, b));
    return sub(mul(logProb, -advantage), mul(entropy, this.options.entropyWeight));
  }

  /** The log-probabilities of every value of every decision of a candidate, as the controller gives them now. */
  logProbabilities(candidate: Candidate): number[][] {
    return noGrad(() => this.rollout(this.tokens(candidate)).distributions.map((d) => Array.from(d.dataSync())));
  }

  /** One REINFORCE step on the candidate's reward, then the baseline moves toward the reward. */
  tell(candidate: Candidate, reward: number): void {
    checkReward('ReinforceController', reward);
    this.baseline ??= reward;
    const decay = this.options.baselineDecay;
    let advantage = reward - this.baseline;
    if (this.options.normalizeAdvantage && this.told > 0) {
      this.advantageSq = this.told === 1 ? advantage ** 2 : decay * this.advantageSq + (1 - decay) * advantage ** 2;
      advantage /= Math.max(Math.sqrt(this.advantageSq), 1e-8);
    }
    this.optimizer.zeroGrad();
    this.loss(candidate, advantage).backward();
    this.optimizer.step();
    this.baseline = decay * this.baseline + (1 - decay) * reward;
    this.told++;
  }

  stateDict(): JsonObject {
    return {
      weights: this.parameters().map((p) => Array.from(p.dataSync())),
      optimizer: this.optimizer.stateDict() as unknown as JsonObject,
      baseline: this.baseline,
      advantageSq: this.advantageSq,
      told: this.told,
      rng: this.rng.getState(),
    };
  }

  loadStateDict(state: JsonObject): void {
    const where = 'ReinforceController';
    const weights = stateEntry<number[][]>(where, state, 'weights', Array.isArray);
    const params = this.parameters();
    if (weights.length !== params.length || weights.some((w, i) => !Array.isArray(w) || w.length !== params[i].size || !w.every(Number.isFinite))) {
      throw new NNError(ErrorCode.StateMismatch, `${where}.loadStateDict: the weights do not fit this controller (another space or hiddenSize?)`);
    }
    const baseline = state.baseline;
    if (baseline !== null && !Number.isFinite(baseline)) throw new NNError(ErrorCode.StateMismatch, `${where}.loadStateDict: "baseline" must be a number or null`);
    const advantageSq = stateEntry<number>(where, state, 'advantageSq', (v) => Number.isFinite(v) && (v as number) >= 0);
    const told = stateEntry<number>(where, state, 'told', (v) => Number.isInteger(v) && (v as number) >= 0);
    const rng = stateEntry<number[]>(where, state, 'rng', Array.isArray);
    this.optimizer.loadStateDict(stateEntry<JsonObject>(where, state, 'optimizer', (v) => typeof v === 'object' && v !== null) as unknown as OptimizerStateDict);
    noGrad(() => params.forEach((p, i) => p.assign(tensor(Float32Array.from(weights[i]), p.shape))));
    this.rng.setState(rng);
    this.baseline = baseline as number | null;
    this.told = told;
    this.advantageSq = advantageSq;
  }
}

/** An index drawn from a log-probability vector. */
function sampleIndex(logp: Float32Array, rng: RNG): number {
  let u = rng.random();
  for (let i = 0; i < logp.length; i++) {
    u -= Math.exp(logp[i]);
    if (u < 0) return i;
  }
  return logp.length - 1;
}
