import { fmtShape, type Layer, type Shape } from './layer.js';

const n = (v: number) => v.toLocaleString('en-US');

/**
 * The text of Keras' `model.summary()`. A shape may be given as text ('multiple'); rows with `connected`
 * (functional models) add Keras' "Connected to" column, one inbound tensor per line.
 */
/** One row of the summary: a layer, its output shape and parameter count. */
export type SummaryRow = { name: string; type: string; shape: Shape | string; params: number; connected?: string[] };

export function summaryTable(name: string, rows: SummaryRow[], total: number, trainable: number): string {
  const graph = rows.some((r) => r.connected);
  const cols = graph ? [29, 26, 10, 30] : [29, 26, 10];
  // A cell wider than its column (a long layer name and type) still gets one space before the next.
  const line = (cells: string[]) => ` ${cells.map((c, i) => (c.length < cols[i] ? c.padEnd(cols[i]) : `${c} `)).join('')}`.trimEnd();
  const width = cols.reduce((a, b) => a + b, 1);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(graph ? ['Connected to'] : [])];
  const out = [`Model: "${name}"`, '_'.repeat(width), line(header), '='.repeat(width)];
  rows.forEach((r, i) => {
    const [first = '', ...more] = r.connected ?? [];
    out.push(line([`${r.name} (${r.type})`, typeof r.shape === 'string' ? r.shape : fmtShape(r.shape), String(r.params), ...(graph ? [first] : [])]));
    for (const c of more) out.push(line(['', '', '', c]));
    if (i < rows.length - 1) out.push('');
  });
  out.push('='.repeat(width), `Total params: ${n(total)}`, `Trainable params: ${n(trainable)}`, `Non-trainable params: ${n(total - trainable)}`, '_'.repeat(width));
  return out.join('\n');
}

/** `model.summary()` for Sequential and Functional: the table of `rows` with the model's parameter counts, printed too. */
export function modelSummary(model: Layer, rows: SummaryRow[], print: ((s: string) => void) | null): string {
  const weights = model.allWeights();
  const trainable = weights.filter((w) => w.active).reduce((n, w) => n + w.value.size, 0);
  const total = weights.reduce((n, w) => n + w.value.size, 0);
  const text = summaryTable(model.name, rows, total, trainable);
  print?.(text);
  return text;
}
