import type * as NodeHttp from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ErrorCode, NNError } from '@nn/core';
import { trialRows } from '../cli/table.js';
import { plotIntermediateValues } from '../plots/intermediate.js';
import { plotOptimizationHistory, plotParallelCoordinate, plotParamImportances, plotSlice } from '../plots/plots.js';
import type { PlotOptions } from '../plots/svg.js';
import { storageFromUrl } from '../study.js';
import type { FrozenTrial, Storage, StudyRecord, StudyView } from '../types.js';
import { nodeBuiltin } from '../worker-processes.js';
import { dashboardPage } from './page.js';

export interface DashboardOptions {
  /** A storage or its URL (opened here and closed with the server). */
  storage: Storage | string;
  /** Interface to listen on. Default 127.0.0.1: the page shows everything in the storage, so keep it local unless you mean it. */
  host?: string;
  /** Port; 0 picks a free one. Default 8080. */
  port?: number;
  /** Seconds between the page's refreshes. Default 2. */
  refresh?: number;
}

export interface DashboardServer {
  /** http://host:port/ */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The plots the page shows, by the name used in its URLs. */
export const DASHBOARD_PLOTS: Record<string, (study: StudyView, options: PlotOptions) => string> = {
  history: plotOptimizationHistory,
  intermediate: (study, { target: _t, targetName: _n, ...options }) => plotIntermediateValues(study, options),
  slice: plotSlice,
  parallel: plotParallelCoordinate,
  importance: plotParamImportances,
};

function best(record: StudyRecord, trials: FrozenTrial[]): FrozenTrial | null {
  if (record.directions.length !== 1) return null;
  const sign = record.directions[0] === 'maximize' ? -1 : 1;
  return trials.filter((t) => t.state === 'complete').reduce<FrozenTrial | null>((b, t) => (b === null || sign * t.values![0] < sign * b.values![0] ? t : b), null);
}

/** JSON with non-finite numbers as strings (JSON has no NaN). */
const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isFinite(x) ? String(x) : x));

/**
 * Serves the dashboard: a page listing the studies of a storage with, for the chosen one, the trial table and
 * the history, intermediate-values (pruned trials' curves), slice, parallel-coordinate and importance plots,
 * refreshed every few seconds while workers run. Read-only.
 */
export async function serveDashboard(options: DashboardOptions): Promise<DashboardServer> {
  const { host = '127.0.0.1', port = 8080, refresh = 2 } = options;
  if (!(refresh > 0)) throw new NNError(ErrorCode.InvalidArgument, `dashboard: refresh must be a positive number of seconds, got ${String(refresh)}`);
  const { createServer } = await nodeBuiltin<typeof NodeHttp>('node:http');
  const storage = typeof options.storage === 'string' ? storageFromUrl(options.storage) : options.storage;
  const page = dashboardPage(refresh);

  const study = (name: string) => {
    const record = storage.getStudy(name);
    if (!record) return null;
    const view: StudyView = { directions: record.directions, studyName: record.studyName, getTrials: (states) => storage.getTrials(record.studyId, states) };
    return { record, view };
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(body);
    };
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method !== 'GET') return send(405, 'text/plain', 'read-only');
    if (parts.length === 0) return send(200, 'text/html', page);
    if (parts[0] !== 'api') return send(404, 'text/plain', 'not found');
    if (parts.length === 2 && parts[1] === 'studies') {
      const list = storage.listStudies().map((s) => {
        const trials = storage.getTrials(s.studyId);
        const b = best(s, trials);
        return { name: s.studyName, directions: s.directions, trials: trials.length, complete: trials.filter((t) => t.state === 'complete').length, running: trials.filter((t) => t.state === 'running').length, best: b?.values?.[0] ?? null };
      });
      return send(200, 'application/json', json(list));
    }
    const s = parts[1] === 'studies' && parts[2] ? study(parts[2]) : null;
    if (!s) return send(404, 'application/json', json({ error: `no study named "${parts[2] ?? ''}"` }));
    if (parts.length === 3) {
      const trials = s.view.getTrials();
      const b = best(s.record, trials);
      return send(200, 'application/json', json({ name: s.record.studyName, directions: s.record.directions, rows: trialRows(trials), best: b && { number: b.number, values: b.values, params: b.params } }));
    }
    if (parts.length === 5 && parts[3] === 'plot' && DASHBOARD_PLOTS[parts[4]]) {
      // A multi-objective study is plotted on its first objective.
      const target: PlotOptions = s.record.directions.length > 1 ? { target: (t) => t.values![0], targetName: 'Objective 0' } : {};
      try {
        return send(200, 'image/svg+xml', DASHBOARD_PLOTS[parts[4]](s.view, target));
      } catch (e) {
        return send(422, 'text/plain', (e as Error).message);
      }
    }
    return send(404, 'text/plain', 'not found');
  };

  const server: Server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      // A storage error (the database went away) is shown on the page; the server stays up.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end((e as Error).message);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => {
      if (typeof options.storage === 'string') storage.close?.();
      reject(new NNError(ErrorCode.InvalidArgument, `dashboard: cannot listen on ${host}:${port}: ${e.message}`));
    });
    server.listen(port, host, resolve);
  });
  const actual = (server.address() as { port: number }).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${actual}/`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          if (typeof options.storage === 'string') storage.close?.();
          resolve();
        });
      }),
  };
}
