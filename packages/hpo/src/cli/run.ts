// The nn-hpo command: studies in any storage URL, from the shell. Every command opens the storage, does one
// thing and closes it; `worker` runs an objective module against a study (on as many machines as share the
// database), `dashboard` serves a page on loopback.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ErrorCode, NNError, registry } from '@nn/core';
import { copyStudy } from '../copy-study.js';
import { plotIntermediateValues } from '../plots/intermediate.js';
import { plotOptimizationHistory, plotParallelCoordinate, plotParamImportances, plotSlice } from '../plots/plots.js';
import { createStudy, loadStudy, storageFromUrl, type Objective, type Study } from '../study.js';
import type { Direction, Storage } from '../types.js';
import { formatTrialsCsv, formatTrialsTable, trialsJson } from './table.js';

/** Where the command writes; a test passes its own. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `Usage: nn-hpo <command> [options]

Commands:
  create-study --storage URL --study NAME [--direction minimize|maximize | --directions d1,d2] [--skip-if-exists]
  studies      --storage URL
  worker       --storage URL --study NAME --objective FILE [--export NAME] [--n-trials N] [--timeout S]
               [--sampler tpe|gp|random|qmc] [--pruner median|successiveHalving|hyperband|nop] [--seed N]
               [--heartbeat S] [--grace S] [--retry-stale N]
  trials       --storage URL --study NAME [--format table|csv|json]
  best         --storage URL --study NAME [--format text|json]
  plot         --storage URL --study NAME [--out DIR] [--kinds history,slice,parallel,importance,intermediate]
  copy         --from URL --to URL --study NAME [--to-study NAME]
  dashboard    --storage URL [--host 127.0.0.1] [--port 8080] [--refresh S]

Storage URLs: sqlite:///relative.db, sqlite:////absolute.db, postgres://user[:password]@host[:port]/db
`;

const PLOTS = {
  history: plotOptimizationHistory,
  slice: plotSlice,
  parallel: plotParallelCoordinate,
  importance: plotParamImportances,
  intermediate: plotIntermediateValues,
} as const;

class UsageError extends Error {}

const str = { type: 'string' } as const;
const OPTIONS: Record<string, ParseArgsConfig['options']> = {
  'create-study': { storage: str, study: str, direction: str, directions: str, 'skip-if-exists': { type: 'boolean' } },
  studies: { storage: str },
  worker: { storage: str, study: str, objective: str, export: str, 'n-trials': str, timeout: str, sampler: str, pruner: str, seed: str, heartbeat: str, grace: str, 'retry-stale': str },
  trials: { storage: str, study: str, format: str },
  best: { storage: str, study: str, format: str },
  plot: { storage: str, study: str, out: str, kinds: str },
  copy: { from: str, to: str, study: str, 'to-study': str },
  dashboard: { storage: str, host: str, port: str, refresh: str },
};

type Values = Record<string, string | boolean | undefined>;

function need(values: Values, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} is required`);
  return v;
}

function num(values: Values, name: string, check: (n: number) => boolean, what: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || v.trim() === '' || !check(n)) throw new UsageError(`--${name} must be ${what}, got ${JSON.stringify(v)}`);
  return n;
}
const nonNegative = (n: number) => Number.isFinite(n) && n >= 0;
const positiveInt = (n: number) => Number.isInteger(n) && n > 0;

function withStudy<T>(values: Values, fn: (study: Study) => T): T {
  const storage = storageFromUrl(need(values, 'storage'));
  try {
    return fn(loadStudy({ storage, studyName: need(values, 'study'), pruner: 'nop', sampler: 'random' }));
  } finally {
    storage.close?.();
  }
}

async function importObjective(file: string, exportName: string): Promise<Objective> {
  const { pathToFileURL } = await import('node:url');
  const { resolve } = await import('node:path');
  const url = file.startsWith('file:') ? file : pathToFileURL(resolve(file)).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (e) {
    throw new NNError(ErrorCode.InvalidArgument, `worker: cannot import the objective module ${file}: ${(e as Error).message}`);
  }
  const fn = mod[exportName];
  if (typeof fn !== 'function') throw new NNError(ErrorCode.InvalidArgument, `worker: ${file} has no function export "${exportName}" (exports: ${Object.keys(mod).join(', ') || 'none'}); pass --export NAME`);
  return fn as Objective;
}

const commands: Record<string, (values: Values, io: CliIO) => Promise<void> | void> = {
  'create-study'(values, io) {
    const storage = storageFromUrl(need(values, 'storage'));
    try {
      const directions = values.directions !== undefined ? String(values.directions).split(',') : [String(values.direction ?? 'minimize')];
      const study = createStudy({ storage, studyName: need(values, 'study'), directions: directions as Direction[], loadIfExists: values['skip-if-exists'] === true, pruner: 'nop', sampler: 'random' });
      io.out(`${study.studyName}\n`);
    } finally {
      storage.close?.();
    }
  },

  studies(values, io) {
    const storage = storageFromUrl(need(values, 'storage'));
    try {
      for (const s of storage.listStudies()) {
        const trials = storage.getTrials(s.studyId);
        io.out(`${s.studyName}\t${s.directions.join(',')}\t${trials.length} trials\t${trials.filter((t) => t.state === 'complete').length} complete\n`);
      }
    } finally {
      storage.close?.();
    }
  },

  async worker(values, io) {
    const objective = await importObjective(need(values, 'objective'), String(values.export ?? 'default'));
    const heartbeatInterval = num(values, 'heartbeat', nonNegative, 'a number of seconds >= 0');
    const gracePeriod = num(values, 'grace', (n) => n > 0, 'a positive number of seconds');
    const retryStaleTrials = num(values, 'retry-stale', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
    const storageOptions = Object.fromEntries(Object.entries({ heartbeatInterval, gracePeriod, retryStaleTrials }).filter(([, v]) => v !== undefined));
    const seed = num(values, 'seed', Number.isFinite, 'a number');
    const samplerName = String(values.sampler ?? 'tpe');
    const sampler = new (registry.get('sampler', samplerName))(seed === undefined ? {} : { seed });
    const nTrials = num(values, 'n-trials', positiveInt, 'a positive integer');
    const timeout = num(values, 'timeout', (n) => n > 0, 'a positive number of seconds');
    const storage: Storage = storageFromUrl(need(values, 'storage'), storageOptions);
    try {
      // loadStudy, not createStudy: a mistyped --study must not start a new study on every machine.
      const study = loadStudy({ storage, studyName: need(values, 'study'), sampler, pruner: values.pruner === undefined ? undefined : String(values.pruner) });
      let done = 0;
      await study.optimize(objective, {
        nTrials,
        timeout,
        callbacks: [(_s, t) => io.out(`trial ${t.number} ${t.state}${t.values ? ` ${t.values.join(',')}` : ''}${t.error ? ` (${t.error})` : ''} [${++done}${nTrials ? `/${nTrials}` : ''}]\n`)],
      });
    } finally {
      storage.close?.();
    }
  },

  trials(values, io) {
    withStudy(values, (study) => {
      const format = String(values.format ?? 'table');
      if (format === 'table') io.out(formatTrialsTable(study.trials));
      else if (format === 'csv') io.out(formatTrialsCsv(study.trials));
      else if (format === 'json') io.out(`${JSON.stringify(trialsJson(study.trials), null, 2)}\n`);
      else throw new UsageError(`--format must be table, csv or json, got ${JSON.stringify(format)}`);
    });
  },

  best(values, io) {
    withStudy(values, (study) => {
      const trials = study.directions.length > 1 ? study.bestTrials : [study.bestTrial];
      if (values.format === 'json') io.out(`${JSON.stringify(trialsJson(trials), null, 2)}\n`);
      else if (values.format === undefined || values.format === 'text') {
        for (const t of trials) io.out(`trial ${t.number}: value ${t.values!.join(', ')}\n${Object.entries(t.params).map(([k, v]) => `  ${k} = ${JSON.stringify(v)}\n`).join('')}`);
      } else throw new UsageError(`--format must be text or json, got ${JSON.stringify(values.format)}`);
    });
  },

  async plot(values, io) {
    const { mkdirSync, writeFileSync, renameSync } = await import('node:fs');
    const { join } = await import('node:path');
    const out = String(values.out ?? '.');
    const kinds = String(values.kinds ?? Object.keys(PLOTS).join(',')).split(',');
    for (const k of kinds) if (!(k in PLOTS)) throw new UsageError(`--kinds: unknown plot "${k}" (plots: ${Object.keys(PLOTS).join(', ')})`);
    const svgs = withStudy(values, (study) => kinds.map((k) => [k, PLOTS[k as keyof typeof PLOTS](study)] as const));
    mkdirSync(out, { recursive: true });
    for (const [k, text] of svgs) {
      const file = join(out, `${k}.svg`);
      // Atomic: a viewer reloading the file never sees half of it.
      writeFileSync(`${file}.tmp`, text);
      renameSync(`${file}.tmp`, file);
      io.out(`${file}\n`);
    }
  },

  copy(values, io) {
    const name = need(values, 'study');
    const toName = typeof values['to-study'] === 'string' ? values['to-study'] : name;
    copyStudy({ storage: need(values, 'from'), studyName: name }, { storage: need(values, 'to'), studyName: toName });
    io.out(`copied ${name} -> ${toName}\n`);
  },

  async dashboard(values, io) {
    const { serveDashboard } = await import('../dashboard/server.js');
    const port = num(values, 'port', (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'a port number') ?? 8080;
    const refresh = num(values, 'refresh', (n) => n > 0, 'a positive number of seconds') ?? 2;
    const server = await serveDashboard({ storage: need(values, 'storage'), host: String(values.host ?? '127.0.0.1'), port, refresh });
    io.out(`nn-hpo dashboard on ${server.url} (Ctrl-C to stop)\n`);
    await new Promise<void>((resolve) => {
      const stop = () => void server.close().then(resolve);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
  },
};

/** Runs one nn-hpo command; resolves to the exit code (0 ok, 1 failed, 2 bad usage). */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return command === undefined ? 2 : 0;
  }
  const handler = commands[command];
  if (!handler) {
    io.err(`nn-hpo: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  try {
    const { values } = parseArgs({ args: rest, options: OPTIONS[command], strict: true, allowPositionals: false });
    await handler(values as Values, io);
    return 0;
  } catch (e) {
    const usage = e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`nn-hpo ${command}: ${(e as Error).message}\n`);
    return usage ? 2 : 1;
  }
}
