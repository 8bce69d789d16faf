import { ErrorCode, NNError, registry, type Callback, type JsonObject, type Logs } from '@nn/core';

export interface CsvLoggerOptions {
  /** The file to write (Node: a path or file:// URL). Without it the CSV is only kept in `logger.csv`. */
  path?: string;
  /** Field separator (default ','). */
  separator?: string;
  /** Keep the rows already in `path` and add to them (default false: start a new file). */
  append?: boolean;
}

/**
 * Keras' CSVLogger: one row per epoch (`epoch` and every logged value, columns sorted as Keras does). The whole
 * file is rewritten after each epoch, atomically, so a crash leaves the rows of every finished epoch.
 */
export class CsvLogger implements Callback {
  readonly path: string | undefined;
  readonly separator: string;
  readonly append: boolean;
  private columns: string[] | null = null;
  private lines: string[] = [];

  constructor(options: CsvLoggerOptions = {}) {
    const { path, separator = ',', append = false } = options;
    for (const k of Object.keys(options)) if (!['path', 'separator', 'append'].includes(k)) throw new NNError(ErrorCode.InvalidArgument, `csvLogger: unknown option "${k}" (options: path, separator, append)`);
    if (path !== undefined && (typeof path !== 'string' || path === '')) throw new NNError(ErrorCode.InvalidArgument, 'csvLogger: path must be a non-empty string');
    if (typeof separator !== 'string' || separator.length !== 1) throw new NNError(ErrorCode.InvalidArgument, `csvLogger: separator must be one character, got ${JSON.stringify(separator)}`);
    this.path = path;
    this.separator = separator;
    this.append = append;
  }

  /** The CSV so far (header and rows). */
  get csv(): string {
    return this.lines.length ? `${this.lines.join('\n')}\n` : '';
  }

  private file() {
    const scheme = registry.has('ioScheme', 'file') ? registry.get('ioScheme', 'file') : undefined;
    if (!scheme?.readText || !scheme.writeText) throw new NNError(ErrorCode.InvalidArgument, `csvLogger: ${this.path}: writing a file needs Node's file system (this is a browser build); leave out path and read logger.csv`);
    return scheme as Required<typeof scheme>;
  }

  async onTrainBegin(): Promise<void> {
    this.columns = null;
    this.lines = [];
    if (this.append && this.path) {
      const old = await this.file().readText(this.path, this.path).catch(() => '');
      this.lines = old.split(/\r?\n/).filter((l) => l !== '');
      if (this.lines[0]) this.columns = this.lines[0].split(this.separator).slice(1);
    }
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (!this.columns) {
      this.columns = Object.keys(logs).sort();
      this.lines.push(['epoch', ...this.columns].join(this.separator));
    }
    this.lines.push([String(epoch), ...this.columns.map((c) => (c in logs ? String(logs[c]) : ''))].join(this.separator));
    if (this.path) await this.file().writeText(this.path, this.path, this.csv);
  }

  getConfig(): JsonObject {
    return { ...(this.path !== undefined ? { path: this.path } : {}), separator: this.separator, append: this.append };
  }

  static fromConfig(config: JsonObject): CsvLogger {
    return new CsvLogger(config as CsvLoggerOptions);
  }
}

/** A {@link CsvLogger} callback for `fit(…, { callbacks: [csvLogger({ path: 'training.csv' })] })`. */
export const csvLogger = (options: CsvLoggerOptions = {}): CsvLogger => new CsvLogger(options);

registry.register('callback', 'csvLogger', CsvLogger);
