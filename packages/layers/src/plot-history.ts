import { ErrorCode, NNError, lineChart, svgDocument, type ChartSeries } from '@nn/core';
import type { History } from './history.js';

export interface PlotHistoryOptions {
  /** The metrics to draw, one panel each (default: every logged one, loss first). `val_` curves come along. */
  metrics?: string[];
  /** Width of the picture (default 640); each panel is `panelHeight` tall (default 260). */
  width?: number;
  panelHeight?: number;
  title?: string;
}

const TRAIN = '#1f77b4';
const VALIDATION = '#ff7f0e';

/**
 * Training curves as SVG, as Keras users draw `history.history` with matplotlib: one panel per metric (loss,
 * accuracy, …) over epochs, the training curve solid and the validation (`val_`) curve dashed.
 */
export function plotHistory(history: History, { metrics, width = 640, panelHeight = 260, title }: PlotHistoryOptions = {}): string {
  const logged = Object.keys(history.history);
  const base = logged.filter((k) => !k.startsWith('val_'));
  const names = metrics ?? [...base.filter((k) => k === 'loss'), ...base.filter((k) => k !== 'loss')];
  if (names.length === 0) throw new NNError(ErrorCode.InvalidArgument, 'plotHistory: the history holds no metrics (train with fit first)');
  for (const m of names) {
    if (!history.history[m] && !history.history[`val_${m}`]) throw new NNError(ErrorCode.InvalidArgument, `plotHistory: "${m}" was not logged (logged: ${logged.join(', ')})`, { metric: m });
  }
  const epochs = history.epoch.map((e) => e + 1);
  const top = title ? 24 : 0;
  const body: string[] = [];
  if (title) body.push(`<text x="${width / 2}" y="17" text-anchor="middle" font-size="14" font-weight="bold">${title.replace(/[<&"]/g, (c) => `&#${c.charCodeAt(0)};`)}</text>`);
  names.forEach((m, i) => {
    const series: ChartSeries[] = [];
    if (history.history[m]) series.push({ name: m, x: epochs, y: history.history[m]!, color: TRAIN });
    if (history.history[`val_${m}`]) series.push({ name: `val_${m}`, x: epochs, y: history.history[`val_${m}`]!, color: VALIDATION, dash: '6,3' });
    body.push(`<g transform="translate(0,${top + i * panelHeight})">`, ...lineChart({ series, width, height: panelHeight, title: m, xLabel: 'epoch', yLabel: m }), '</g>');
  });
  return svgDocument(width, top + names.length * panelHeight, body);
}
