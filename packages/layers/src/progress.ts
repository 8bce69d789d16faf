import type { Logs } from '@nn/core';
import { pyExp, pyFixed } from './py-format.js';

interface Sink {
  write(s: string): void;
  isTTY: boolean;
}

const defaultSink = (): Sink => {
  const out = (globalThis as { process?: { stdout?: { write(s: string): void; isTTY?: boolean } } }).process?.stdout;
  if (out) return { write: (s) => out.write(s), isTTY: !!out.isTTY };
  let line = '';
  return {
    write: (s) => {
      line += s;
      const parts = line.split('\n');
      line = parts.pop() ?? '';
      for (const p of parts) console.log(p);
    },
    isTTY: false,
  };
};

/**
 * A logged value as Keras 2.x prints it: `%.4f`, or `%.4e` when small. The progress bar (verbose 1) tests
 * |v| > 1e-3, the one-line form (verbose 2) v > 1e-3, so there a negative value is printed in e-notation.
 */
const fmtValue = (v: number, verbose: number) => ((verbose === 2 ? v : Math.abs(v)) > 1e-3 ? pyFixed(v, 4) : pyExp(v, 4));

/** ` - name: value` for each entry, as Keras prints logs (verbose 1 by default; 2 for the one-line form). */
export const formatLogs = (logs: Logs, verbose = 1): string =>
  Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${fmtValue(v, verbose)}`)
    .join('');

/** Keras 2.x's `_format_time`: ` 1s/epoch`, ` 12ms/step`, ` 850us/step`. */
export function formatTime(seconds: number, unit: string): string {
  if (seconds >= 1 || seconds === 0) return ` ${pyFixed(seconds, 0)}s/${unit}`;
  if (seconds >= 1e-3) return ` ${pyFixed(seconds * 1e3, 0)}ms/${unit}`;
  return ` ${pyFixed(seconds * 1e6, 0)}us/${unit}`;
}

/**
 * Keras' progress line: `14/14 [==============================] - 0s 1ms/step - loss: 0.5027 - accuracy: 0.8146`.
 * Redrawn in place on a terminal; printed once, when complete, otherwise. With verbose 2, Keras 2.x's one
 * line: `5/5 - 0s - loss: 0.2814 - accuracy: 0.9231 - 32ms/epoch - 6ms/step`.
 */
export class ProgressBar {
  private readonly start = performance.now();
  private lastDraw = 0;
  constructor(
    private readonly total: number,
    private readonly verbose: number,
    private readonly sink: Sink = defaultSink(),
  ) {}

  /** Keras' `Epoch 3/10` line before each epoch; like Keras, none when fit runs a single epoch. */
  static epochHeader(epoch: number, epochs: number, verbose: number, sink: Sink = defaultSink()): void {
    if (verbose > 0 && epochs > 1) sink.write(`Epoch ${epoch + 1}/${epochs}\n`);
  }

  line(done: number, logs: Logs, final: boolean): string {
    const width = 30;
    const filled = Math.floor((width * done) / this.total);
    const bar = done >= this.total ? '='.repeat(width) : `${'='.repeat(filled)}>${'.'.repeat(Math.max(0, width - filled - 1))}`;
    const pad = String(this.total).length;
    const elapsed = (performance.now() - this.start) / 1000;
    const time = final ? ` - ${pyFixed(elapsed, 0)}s${formatTime(elapsed / Math.max(1, done), 'step')}` : ` - ETA: ${Math.round((elapsed / Math.max(1, done)) * (this.total - done))}s`;
    if (this.verbose === 2) {
      return `${String(done).padStart(pad)}/${this.total} - ${pyFixed(elapsed, 0)}s${formatLogs(logs, 2)} -${formatTime(elapsed, 'epoch')} -${formatTime(elapsed / this.total, 'step')}`;
    }
    return `${String(done).padStart(pad)}/${this.total} [${bar}]${time}${formatLogs(logs)}`;
  }

  update(done: number, logs: Logs): void {
    if (this.verbose !== 1 || !this.sink.isTTY) return;
    const now = performance.now();
    if (now - this.lastDraw < 50 && done < this.total) return;
    this.lastDraw = now;
    this.sink.write(`\r${this.line(done, logs, false)}\x1b[K`);
  }

  end(done: number, logs: Logs): void {
    if (this.verbose === 0) return;
    const text = this.line(done, logs, true);
    this.sink.write(this.sink.isTTY && this.verbose === 1 ? `\r${text}\x1b[K\n` : `${text}\n`);
  }
}
