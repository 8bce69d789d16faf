import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvLogger, dense, History, plotHistory, sequential } from './node.js';
import '@nn/optim';

const history = () => {
  const h = new History();
  h.record(0, { loss: 1, accuracy: 0.5, val_loss: 1.2, val_accuracy: 0.4 });
  h.record(1, { loss: 0.5, accuracy: 0.75, val_loss: 0.9, val_accuracy: 0.6 });
  h.record(2, { loss: 0.25, accuracy: 0.875, val_loss: 0.8, val_accuracy: 0.7 });
  return h;
};
const polylines = (svg: string) => [...svg.matchAll(/<polyline points="([^"]+)"[^>]*?(stroke-dasharray="[^"]+")?\/>/g)].map((m) => ({ points: m[1]!.split(' ').map((p) => p.split(',').map(Number)), dashed: Boolean(m[2]) }));

describe('plotHistory', () => {
  it('draws one panel per metric, loss first, training solid and validation dashed, a point per epoch', () => {
    const svg = plotHistory(history(), { title: 'run <1>' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="544"')).toBe(true); // 24 + 2 x 260
    expect(svg).toContain('run &#60;1>');
    const lines = polylines(svg);
    expect(lines.map((l) => [l.points.length, l.dashed])).toEqual([[3, false], [3, true], [3, false], [3, true]]);
    // Loss falls from epoch 1 to 3: y (downwards in SVG) grows.
    const [loss] = lines;
    expect(loss!.points[0]![1]).toBeLessThan(loss!.points[2]![1]!);
    expect(loss!.points[0]![0]).toBeLessThan(loss!.points[1]![0]!);
    expect([...svg.matchAll(/>([a-z_]+)<\/text>/g)].map((m) => m[1])).toEqual(expect.arrayContaining(['loss', 'val_loss', 'accuracy', 'val_accuracy', 'epoch']));
  });
  it('takes a choice of metrics and names a missing one', () => {
    expect(polylines(plotHistory(history(), { metrics: ['accuracy'] }))).toHaveLength(2);
    expect(() => plotHistory(history(), { metrics: ['auc'] })).toThrow('plotHistory: "auc" was not logged (logged: loss, accuracy, val_loss, val_accuracy)');
    expect(() => plotHistory(new History())).toThrow('plotHistory: the history holds no metrics');
  });
});

describe('csvLogger', () => {
  it('writes Keras CSVLogger rows (epoch, then sorted columns) to a file during fit, and appends when asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-csvlog-'));
    const path = join(dir, 'log.csv');
    const model = sequential([dense(1, { inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'meanSquaredError', metrics: ['mae'] });
    const x = [[1, 2], [3, 4], [5, 6], [7, 8]];
    const y = [[1], [2], [3], [4]];
    const logger = csvLogger({ path });
    const h = await model.fit(x, y, { epochs: 2, verbose: 0, validationSplit: 0.25, callbacks: [logger] });
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    const header = lines[0]!.split(',');
    expect(header[0]).toBe('epoch');
    expect(header.slice(1)).toEqual([...header.slice(1)].sort());
    expect(lines).toHaveLength(3);
    const lossColumn = header.indexOf('loss');
    expect(Number(lines[2]!.split(',')[lossColumn])).toBe(h.history.loss![1]);
    expect(logger.csv).toBe(`${lines.join('\n')}\n`);
    await model.fit(x, y, { epochs: 1, verbose: 0, validationSplit: 0.25, callbacks: [csvLogger({ path, append: true })] });
    expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(() => csvLogger({ seperator: ';' } as never)).toThrow('csvLogger: unknown option "seperator"');
  });
});
