// Writes the README's pictures, docs/*.svg: one chart per schedule, drawn by renderSvg itself.
// Run from the repository root: npx tsx packages/schedule/scripts/render-readme.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  cosineDecay, cyclic, exponentialDecay, inverseSqrtDecay, inverseTimeDecay, linearWarmup, multiStep, naturalExpDecay, oneCycle, piecewiseConstant,
  polynomialDecay, product, reduceOnPlateau, renderSvg, sequentialLR, stepDecay, warmRestarts, withWarmup, type Schedule,
} from '../src/index.js';

const docs = fileURLToPath(new URL('../docs/', import.meta.url));
mkdirSync(docs, { recursive: true });

/** reduceOnPlateau depends on metrics, not steps: record its lr while feeding it a loss that stalls. */
function plateauRun(): Schedule {
  const s = reduceOnPlateau({ lr: 0.1, factor: 0.5, patience: 4, threshold: 0.001, cooldown: 1, minLr: 0.0001 });
  const lrs: number[] = [];
  for (let epoch = 0; epoch < 60; epoch++) {
    lrs.push(s.lrAt(epoch));
    const loss = epoch < 15 ? 1 / (1 + 0.3 * epoch) : 0.2 + 0.001 * (epoch % 5);
    s.update(loss);
  }
  return { lrAt: (t) => lrs[t], getConfig: () => ({}) };
}

/** [file, title, schedule, steps, drawn stepped (for schedules whose lr jumps)] */
const charts: [string, string, Schedule, number, boolean?][] = [
  ['step-decay', 'stepDecay({ lr: 0.1, stepSize: 8, gamma: 0.5 })', stepDecay({ lr: 0.1, stepSize: 8, gamma: 0.5 }), 50, true],
  ['multi-step', 'multiStep({ lr: 0.1, milestones: [10, 26, 40], gamma: 0.3 })', multiStep({ lr: 0.1, milestones: [10, 26, 40], gamma: 0.3 }), 50, true],
  ['piecewise-constant', 'piecewiseConstant({ boundaries: [15, 30], values: [0.1, 0.05, 0.01] })', piecewiseConstant({ boundaries: [15, 30], values: [0.1, 0.05, 0.01] }), 50, true],
  ['exponential-decay', 'exponentialDecay({ lr: 0.1, gamma: 0.88 })', exponentialDecay({ lr: 0.1, gamma: 0.88 }), 50],
  ['exponential-staircase', 'exponentialDecay({ lr: 0.1, gamma: 0.5, decaySteps: 10, staircase: true })', exponentialDecay({ lr: 0.1, gamma: 0.5, decaySteps: 10, staircase: true }), 50, true],
  ['inverse-time-decay', 'inverseTimeDecay({ lr: 0.1, beta: 0.15 })', inverseTimeDecay({ lr: 0.1, beta: 0.15 }), 50],
  ['natural-exp-decay', 'naturalExpDecay({ lr: 0.1, beta: 0.07 })', naturalExpDecay({ lr: 0.1, beta: 0.07 }), 50],
  ['cosine-decay', 'cosineDecay({ lr: 0.1, tMax: 35, etaMin: 0.001 })', cosineDecay({ lr: 0.1, tMax: 35, etaMin: 0.001 }), 50],
  ['inverse-sqrt-decay', 'inverseSqrtDecay({ lr: 0.1 })', inverseSqrtDecay({ lr: 0.1 }), 50],
  ['polynomial-decay', 'polynomialDecay({ lr: 0.1, totalSteps: 40, power: 2, endLr: 0.005 })', polynomialDecay({ lr: 0.1, totalSteps: 40, power: 2, endLr: 0.005 }), 50],
  ['warm-restarts', 'warmRestarts({ lr: 0.1, t0: 6, tMult: 2, etaMin: 0.0005 })', warmRestarts({ lr: 0.1, t0: 6, tMult: 2, etaMin: 0.0005 }), 90],
  ['linear-warmup', 'linearWarmup({ lr: 0.1, startFactor: 0.1, totalSteps: 9 })', linearWarmup({ lr: 0.1, startFactor: 0.1, totalSteps: 9 }), 20],
  [
    'warmup-then-cosine',
    'sequentialLR([linearWarmup(…, totalSteps: 6), cosineDecay({ lr: 0.1, tMax: 40 })], [6])',
    sequentialLR([linearWarmup({ lr: 0.1, startFactor: 0.01, totalSteps: 6 }), cosineDecay({ lr: 0.1, tMax: 40 })], [6]),
    47,
  ],
  ['with-warmup', 'withWarmup(exponentialDecay({ lr: 0.1, gamma: 0.9 }), { steps: 8 })', withWarmup(exponentialDecay({ lr: 0.1, gamma: 0.9 }), { steps: 8 }), 50],
  [
    'product',
    'product([cyclic({ baseLr: 0.2, maxLr: 1, … }), exponentialDecay({ gamma: 0.95, … })])',
    product([cyclic({ baseLr: 0.2, maxLr: 1, stepSizeUp: 5, cycleMomentum: false }), exponentialDecay({ lr: 0.1, gamma: 0.95 })]),
    60,
  ],
  ['cyclic-triangular', "cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 6, mode: 'triangular' })", cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 6, mode: 'triangular' }), 50],
  ['cyclic-triangular2', "cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: 'triangular2' })", cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: 'triangular2' }), 50],
  ['cyclic-exp-range', "cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: 'exp_range', gamma: 0.96 })", cyclic({ baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5, mode: 'exp_range', gamma: 0.96 }), 50],
  ['cyclic-triangular-decay', "cyclic({ baseLr: 0.02, maxLr: 0.1, stepSizeUp: 5, mode: 'triangular_decay', gamma: 0.7 })", cyclic({ baseLr: 0.02, maxLr: 0.1, stepSizeUp: 5, mode: 'triangular_decay', gamma: 0.7 }), 50],
  ['one-cycle', 'oneCycle({ maxLr: 0.5, totalSteps: 100, pctStart: 0.25 })', oneCycle({ maxLr: 0.5, totalSteps: 100, pctStart: 0.25 }), 100],
  ['one-cycle-three-phase', "oneCycle({ maxLr: 0.5, totalSteps: 100, annealStrategy: 'linear', threePhase: true })", oneCycle({ maxLr: 0.5, totalSteps: 100, annealStrategy: 'linear', threePhase: true }), 100],
  ['reduce-on-plateau', 'reduceOnPlateau({ lr: 0.1, factor: 0.5, patience: 4 }), loss stalling from epoch 15', plateauRun(), 60, true],
];

for (const [file, title, schedule, steps, stepped = false] of charts) {
  writeFileSync(`${docs}${file}.svg`, renderSvg(schedule, steps, { title, width: 640, height: 280, stepped }));
  console.log(`docs/${file}.svg`);
}
