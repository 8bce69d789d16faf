import { Adam } from '@nn/optim';
import { setSeed } from '@nn/tensor';
import { dense, gru, lstm, sequential, simpleRNN, type Layer } from '@nn/layers';
import { addingProblem, BASELINE_MSE } from './adding.js';

export const CELLS = ['simpleRNN', 'lstm', 'gru'] as const;
export type Cell = (typeof CELLS)[number];

export interface RunOptions {
  cell: Cell;
  /** Sequence length. */
  length: number;
  units?: number;
  nTrain?: number;
  nTest?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
}

export interface RunResult {
  cell: Cell;
  length: number;
  /** Test MSE after training, and as a fraction of the know-nothing baseline (1/6): below ~0.1 the task is solved. */
  testMse: number;
  relative: number;
  /** Training loss per epoch. */
  losses: number[];
  seconds: number;
}

const recurrent = (cell: Cell, units: number): Layer => (cell === 'lstm' ? lstm(units) : cell === 'gru' ? gru(units) : simpleRNN(units));

/** Trains one recurrent layer + a linear read-out on the adding problem of `length` steps; returns its test error. */
export async function runCell({ cell, length, units = 16, nTrain = 1000, nTest = 500, epochs = 10, batchSize = 32, lr = 0.01, seed = 0 }: RunOptions): Promise<RunResult> {
  setSeed(seed);
  const train = addingProblem(nTrain, length, 1000 + seed);
  const test = addingProblem(nTest, length, 2000 + seed);
  const model = sequential([recurrent(cell, units), dense(1)]);
  model.compile({ optimizer: new Adam({ lr }), loss: 'meanSquaredError' });
  const start = performance.now();
  const history = await model.fit(train.x, train.y, { epochs, batchSize, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  const [testMse] = model.evaluate(test.x, test.y);
  return { cell, length, testMse, relative: testMse / BASELINE_MSE, losses: history.history.loss as number[], seconds };
}

/** A relative error below this counts as solved (the sum is then known to within about ±0.1). */
export const SOLVED = 0.1;

export interface CompareOptions extends Omit<RunOptions, 'cell' | 'length'> {
  lengths: number[];
  cells?: readonly Cell[];
  /** Called with each line of the report as it is ready. */
  print?: (line: string) => void;
}

/**
 * Trains every cell at every sequence length and prints the table of test errors relative to the
 * know-nothing baseline, with a verdict per cell: the course's vanishing-gradient story on sequences.
 */
export async function compare({ lengths, cells = CELLS, print = console.log, ...options }: CompareOptions): Promise<RunResult[]> {
  const results: RunResult[] = [];
  for (const length of lengths) {
    for (const cell of cells) {
      const r = await runCell({ ...options, cell, length });
      results.push(r);
      print(`  length ${String(length).padStart(3)}  ${cell.padEnd(9)}  test MSE ${r.testMse.toFixed(4)}  (${r.relative.toFixed(3)} of the baseline)  ${r.seconds.toFixed(1)}s`);
    }
  }
  const width = 14;
  print('');
  print(`Test MSE / baseline MSE (1/6, always answering 1); below ${SOLVED} = solved`);
  print(`${'length'.padEnd(8)}${cells.map((c) => c.padStart(width)).join('')}`);
  for (const length of lengths) {
    const row = cells.map((c) => {
      const r = results.find((x) => x.cell === c && x.length === length)!;
      return `${r.relative.toFixed(3)} ${r.relative < SOLVED ? 'ok' : '--'}`.padStart(width);
    });
    print(`${String(length).padEnd(8)}${row.join('')}`);
  }
  print('');
  for (const c of cells) {
    const solved = lengths.filter((l) => results.find((x) => x.cell === c && x.length === l)!.relative < SOLVED);
    print(`${c.padEnd(9)} solved ${solved.length ? `length ${solved.join(', ')}` : 'no length'}${solved.length < lengths.length ? `; failed at ${lengths.filter((l) => !solved.includes(l)).join(', ')}` : ''}`);
  }
  return results;
}
