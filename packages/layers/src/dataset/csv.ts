import Papa from 'papaparse';
import { ErrorCode, NNError } from '@nn/core';
import { tensor, type Tensor } from '@nn/tensor';
import { readText, type TextSource } from '../io/text.js';

export interface CsvOptions {
  /** The label column (name, or index when there is no header); its values become `y`. Omit for features only. */
  label?: string | number;
  /** The feature columns, in order (names or indices); default: every column but the label. */
  features?: (string | number)[];
  /** Whether the first row names the columns (default true). */
  header?: boolean;
  /** Field delimiter; default: detected (papaparse's guess among , ; tab |). */
  delimiter?: string;
}

export interface CsvData {
  /** Features `[rows, features]`, float32. */
  x: Tensor;
  /** Labels `[rows, 1]`: the numbers as written, or class indices into `classes` when the labels are text. */
  y?: Tensor;
  /** The feature columns' names (their indices as strings without a header). */
  features: string[];
  /** The label's classes in index order (sorted, as scikit-learn's LabelEncoder), when the labels are text. */
  classes?: string[];
}

const fail = (where: string, message: string, details: Record<string, unknown> = {}) => new NNError(ErrorCode.InvalidArgument, `${where}: ${message}`, details);

/**
 * Parses CSV text into tensors with papaparse (quoted fields, embedded delimiters and newlines, CRLF). Empty
 * lines are skipped; a non-numeric feature, a missing field or an unknown column is an error naming the line.
 */
export function parseCsv(text: string, options: CsvOptions = {}, where = 'parseCsv'): CsvData {
  const { header = true, delimiter } = options;
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: 'greedy', ...(delimiter ? { delimiter } : {}) });
  const bad = parsed.errors.find((e) => e.type !== 'Delimiter');
  if (bad) throw fail(where, `line ${(bad.row ?? 0) + 1}: ${bad.message}`, { line: (bad.row ?? 0) + 1 });
  const all = parsed.data;
  if (all.length === 0 || (header && all.length === 1)) throw fail(where, 'no data rows');
  const names = header ? all[0].map((n) => n.trim()) : all[0].map((_, i) => String(i));
  const rows = header ? all.slice(1) : all;
  const first = header ? 2 : 1; // the line number of rows[0], for messages
  const column = (c: string | number, what: string): number => {
    const i = typeof c === 'number' ? c : names.indexOf(c);
    if (!Number.isInteger(i) || i < 0 || i >= names.length) throw fail(where, `${what} column ${JSON.stringify(c)} is not among the columns (${names.join(', ')})`, { column: c });
    return i;
  };
  const labelIndex = options.label === undefined ? -1 : column(options.label, 'label');
  const featureIndices = options.features ? options.features.map((f) => column(f, 'feature')) : names.map((_, i) => i).filter((i) => i !== labelIndex);
  if (featureIndices.length === 0) throw fail(where, 'no feature columns');

  const x = new Float32Array(rows.length * featureIndices.length);
  const labels: string[] = [];
  rows.forEach((row, r) => {
    if (row.length !== names.length) throw fail(where, `line ${first + r} has ${row.length} fields; the ${header ? 'header' : 'first line'} has ${names.length}`, { line: first + r });
    featureIndices.forEach((c, j) => {
      const cell = row[c].trim();
      const v = cell === '' ? NaN : Number(cell);
      if (Number.isNaN(v)) throw fail(where, `line ${first + r}, column ${names[c]}: ${JSON.stringify(row[c])} is not a number`, { line: first + r, column: names[c] });
      x[r * featureIndices.length + j] = v;
    });
    if (labelIndex >= 0) labels.push(row[labelIndex].trim());
  });
  const out: CsvData = { x: tensor(x, [rows.length, featureIndices.length]), features: featureIndices.map((i) => names[i]) };
  if (labelIndex >= 0) {
    const numeric = labels.every((l) => l !== '' && !Number.isNaN(Number(l)));
    if (numeric) {
      out.y = tensor(Float32Array.from(labels, Number), [rows.length, 1]);
    } else {
      const classes = [...new Set(labels)].sort();
      const index = new Map(classes.map((c, i) => [c, i]));
      out.y = tensor(Float32Array.from(labels, (l) => index.get(l)!), [rows.length, 1]);
      out.classes = classes;
    }
  }
  return out;
}

/**
 * Reads a CSV file into tensors: a path or `file://` URL (Node), an `http(s)://` URL (fetch), or a `File`/`Blob`
 * (browsers); see {@link parseCsv} for the options and the result.
 */
export async function readCsv(source: TextSource, options: CsvOptions = {}): Promise<CsvData> {
  const { text, name } = await readText(source, 'readCsv');
  return parseCsv(text, options, `readCsv: ${name}`);
}
