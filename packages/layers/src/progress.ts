import type { Logs } from '@nn/core';

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

const fmtValue = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(4));

export const formatLogs = (logs: Logs): string =>
  Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${fmtValue(v)}`)
    .join('');

function perStep(seconds: number, steps: number): string {
  const s = seconds / Math.max(1, steps);
  if (s >= 1) return `${Math.round(s)}s/step`;
  if (s >= 1e-3) return `${Math.round(s * 1e3)}ms/step`;
  return `${Math.round(s * 1e6)}us/step`;
}

/**
 * Keras' progress line: `14/14 [==============================] - 0s 1ms/step - loss: 0.5027 - accuracy: 0.8146`.
 * Redrawn in place on a terminal; printed once, when complete, otherwise.
 */
export class ProgressBar {
  private readonly start = performance.now();
  private lastDraw = 0;
  constructor(
    private readonly total: number,
    private readonly verbose: number,
    private readonly sink: Sink = defaultSink(),
  ) {}

  static epochHeader(epoch: number, epochs: number, verbose: number, sink: Sink = defaultSink()): void {
    if (verbose > 0) sink.write(`Epoch ${epoch + 1}/${epochs}\n`);
  }

  line(done: number, logs: Logs, final: boolean): string {
    const width = 30;
    const filled = Math.floor((width * done) / this.total);
    const bar = done >= this.total ? '='.repeat(width) : `${'='.repeat(filled)}>${'.'.repeat(Math.max(0, width - filled - 1))}`;
    const pad = String(this.total).length;
    const elapsed = (performance.now() - this.start) / 1000;
    const time = final ? ` - ${Math.round(elapsed)}s ${perStep(elapsed, done)}` : ` - ETA: ${Math.round((elapsed / Math.max(1, done)) * (this.total - done))}s`;
    if (this.verbose === 2) return `${this.total}/${this.total} - ${Math.round(elapsed)}s - ${perStep(elapsed, done)}${formatLogs(logs)}`;
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
