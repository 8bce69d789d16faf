import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tune } from './tune.js';

// npx tsx src/main.ts [--db file.db] [--out dir] [--trials 40] [--epochs 18] [--seed 0]
const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    out: { type: 'string' },
    trials: { type: 'string', default: '40' },
    epochs: { type: 'string', default: '18' },
    seed: { type: 'string', default: '0' },
  },
});
const dbPath = resolve(args.db ?? join(tmpdir(), 'nn-hpo-example', 'breast-cancer.db'));
const nTrials = Number(args.trials);
const fmt = (v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : String(v));
const fmtParams = (p: Record<string, unknown>) => Object.entries(p).map(([k, v]) => `${k}=${fmt(v)}`).join(' ');

console.log(`Study in ${dbPath} (run again to resume; --trials N to extend it)\n`);
const start = performance.now();
const result = await tune({
  dbPath,
  outDir: args.out && resolve(args.out),
  nTrials,
  maxEpochs: Number(args.epochs),
  seed: Number(args.seed),
  onTrial: (t) => {
    const steps = Object.keys(t.intermediateValues).length;
    const outcome = t.state === 'complete' ? `val_loss ${t.values![0].toFixed(4)}` : t.state === 'pruned' ? `pruned after ${steps} epochs` : `${t.state}: ${t.error ?? ''}`;
    console.log(`trial ${String(t.number).padStart(3)}  ${outcome.padEnd(24)} ${fmtParams(t.params)}`);
  },
});
const seconds = (performance.now() - start) / 1000;

const count = (state: string) => result.trials.filter((t) => t.state === state).length;
console.log(`\n${result.ran} trials run now in ${seconds.toFixed(1)}s; the study holds ${result.trials.length}: ${count('complete')} complete, ${count('pruned')} pruned, ${count('fail')} failed`);
const epochs = result.trials.reduce((n, t) => n + Object.keys(t.intermediateValues).length, 0);
console.log(`Epochs trained: ${epochs}, against ${result.trials.length * Number(args.epochs)} without pruning`);
console.log(`Best trial ${result.best.number}: val_loss ${result.best.values![0].toFixed(4)}`);
console.log(`  ${fmtParams(result.best.params)}`);
console.log(`Retrained on the whole training set: test loss ${result.testLoss.toFixed(4)}, test accuracy ${result.testAccuracy.toFixed(4)} (143 samples)`);
console.log(`\nPlots:\n  ${result.historySvg}\n  ${result.importanceSvg}`);
