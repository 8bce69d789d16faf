import { fmtShape, type Shape } from './layer.js';

const n = (v: number) => v.toLocaleString('en-US');

/** The text of Keras' `model.summary()`. */
export function summaryTable(name: string, rows: { name: string; type: string; shape: Shape; params: number }[], total: number, trainable: number): string {
  const cols = [29, 26, 10];
  const line = (cells: string[]) => ` ${cells.map((c, i) => c.padEnd(cols[i])).join('')}`.trimEnd();
  const width = cols.reduce((a, b) => a + b, 1);
  const out = [`Model: "${name}"`, '_'.repeat(width), line(['Layer (type)', 'Output Shape', 'Param #']), '='.repeat(width)];
  rows.forEach((r, i) => {
    out.push(line([`${r.name} (${r.type})`, fmtShape(r.shape), String(r.params)]));
    if (i < rows.length - 1) out.push('');
  });
  out.push('='.repeat(width), `Total params: ${n(total)}`, `Trainable params: ${n(trainable)}`, `Non-trainable params: ${n(total - trainable)}`, '_'.repeat(width));
  return out.join('\n');
}
