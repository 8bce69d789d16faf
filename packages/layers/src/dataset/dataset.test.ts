import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@nn/tensor';
import { describe, expect, it } from 'vitest';
import { classificationReport, confusionMatrix, minMaxScaler, parseCsv, readCsv, standardScaler, trainTestSplit } from '../node.js';

const rows = (t: { toArray(): unknown }) => t.toArray();

describe('parseCsv / readCsv', () => {
  it('reads quoted fields, CRLF and text labels (classes sorted, as LabelEncoder)', () => {
    const text = 'a,"b, with comma",label\r\n1,2.5,"yes"\r\n\r\n3,-4,no\r\n5,6e1,yes\r\n';
    const d = parseCsv(text, { label: 'label' });
    expect(d.features).toEqual(['a', 'b, with comma']);
    expect(rows(d.x)).toEqual([[1, 2.5], [3, -4], [5, 60]]);
    expect(d.classes).toEqual(['no', 'yes']);
    expect(rows(d.y!)).toEqual([[1], [0], [1]]);
  });
  it('keeps numeric labels, picks feature columns, reads files without a header', () => {
    const d = parseCsv('1;2;0\n3;4;1\n', { header: false, label: 2, features: [1], delimiter: ';' });
    expect(rows(d.x)).toEqual([[2], [4]]);
    expect(rows(d.y!)).toEqual([[0], [1]]);
    expect(d.classes).toBeUndefined();
  });
  it('names the line and column of bad data', () => {
    expect(() => parseCsv('a,b\n1,2\n3,x\n')).toThrow('parseCsv: line 3, column b: "x" is not a number');
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow('parseCsv: line 3 has 1 fields; the header has 2');
    expect(() => parseCsv('a,b\n1,2\n', { label: 'c' })).toThrow('parseCsv: label column "c" is not among the columns (a, b)');
  });
  it('reads a path in Node and names a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-csv-'));
    writeFileSync(join(dir, 'd.csv'), 'x,y\n1,0\n2,1\n');
    const d = await readCsv(join(dir, 'd.csv'), { label: 'y' });
    expect(rows(d.x)).toEqual([[1], [2]]);
    await expect(readCsv(join(dir, 'missing.csv'))).rejects.toThrow(/readCsv: .*missing\.csv: cannot read it \(ENOENT\)/);
    const blob = new Blob(['x\n7\n']);
    expect(rows((await readCsv(blob)).x)).toEqual([[7]]);
  });
});

describe('trainTestSplit', () => {
  const x = Array.from({ length: 40 }, (_, i) => [i]);
  const y = Array.from({ length: 40 }, (_, i) => (i < 30 ? 0 : 1));
  it('takes ceil(testSize * n) rows, disjoint and covering, the same for the same seed', () => {
    const a = trainTestSplit(x, y, { testSize: 0.2, seed: 3 });
    expect(a.xTest.length).toBe(8);
    expect([...a.xTrain, ...a.xTest].map((r) => r[0]).sort((p, q) => p! - q!)).toEqual(x.map((r) => r[0]));
    expect(trainTestSplit(x, y, { testSize: 0.2, seed: 3 }).xTest).toEqual(a.xTest);
    expect(trainTestSplit(x, y, { testSize: 0.2, seed: 4 }).xTest).not.toEqual(a.xTest);
    a.xTest.forEach((r, i) => expect(a.yTest[i]).toBe(r[0]! < 30 ? 0 : 1));
  });
  it('stratify keeps class shares: 30/10 rows, 10 test rows -> 7.5 and 2.5 -> 8 and 2 (largest remainder, ties to the first class)', () => {
    const s = trainTestSplit(x, y, { testSize: 0.25, seed: 1, stratify: true });
    expect(s.yTest.filter((c) => c === 1).length).toBe(2);
    expect(s.yTest.filter((c) => c === 0).length).toBe(8);
    const oneHot = tensor(y.map((c) => (c ? [0, 1] : [1, 0])));
    const t = trainTestSplit(tensor(x), oneHot, { testSize: 12, seed: 1, stratify: true });
    expect(t.xTest.shape).toEqual([12, 1]);
    expect((t.yTest.toArray() as number[][]).filter((r) => r[1] === 1).length).toBe(3);
  });
  it('without shuffle takes the last rows; bad sizes are refused', () => {
    expect(trainTestSplit(x, y, { testSize: 2, shuffle: false }).xTest).toEqual([[38], [39]]);
    expect(() => trainTestSplit(x, y, { testSize: 40 })).toThrow('trainTestSplit: testSize must be a share in (0, 1) or a row count in [1, 39], got 40');
    expect(() => trainTestSplit(x, y.slice(1))).toThrow('trainTestSplit: x has 40 rows but y has 39');
  });
});

describe('scalers (fit on train, apply to test)', () => {
  it('standardScaler: population std, constant columns only centered', () => {
    const s = standardScaler().fit([[1, 2], [3, 2], [5, 2]]);
    expect(s.mean).toEqual([3, 2]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBe(1);
    const out = s.transform([[3, 2], [3 + Math.sqrt(8 / 3), 5]]).toArray() as number[][];
    expect(out[0]).toEqual([0, 0]);
    expect(out[1]![0]).toBeCloseTo(1, 6);
    expect(out[1]![1]).toBe(3);
  });
  it('minMaxScaler maps the training range onto [0, 1] (or range) and extrapolates on test data', () => {
    const s = minMaxScaler().fit([[0, 10], [5, 20], [10, 30]]);
    expect(s.fitTransform([[0, 10], [5, 20], [10, 30]]).toArray()).toEqual([[0, 0], [0.5, 0.5], [1, 1]]);
    expect(s.transform([[20, 0]]).toArray()).toEqual([[2, -0.5]]);
    expect(minMaxScaler({ range: [-1, 1] }).fitTransform([[0], [4], [2]]).toArray()).toEqual([[-1], [1], [0]]);
    expect(() => standardScaler().transform([[1]])).toThrow('StandardScaler: call fit(xTrain) before transform');
    expect(() => s.transform([[1]])).toThrow('MinMaxScaler.transform: fitted on 2 features, got 1');
  });
});

describe('confusionMatrix / classificationReport', () => {
  const yTrue = [0, 0, 1, 1, 1, 2];
  const yPred = tensor([[0.9, 0.1, 0], [0.2, 0.7, 0.1], [0, 1, 0], [0.1, 0.8, 0.1], [0, 0.4, 0.6], [0, 0, 1]]);
  it('counts true class (row) against predicted class (column), from probabilities', () => {
    expect(confusionMatrix(yTrue, yPred)).toEqual([[1, 1, 0], [0, 2, 1], [0, 0, 1]]);
    expect(confusionMatrix([[0], [1], [1]], [[0.2], [0.7], [0.4]])).toEqual([[1, 0], [1, 1]]);
  });
  it('matches scikit-learn classification_report (hand-computed)', () => {
    const r = classificationReport(yTrue, yPred, { classNames: ['a', 'b', 'c'] });
    expect(r.classes.map((c) => [c.name, c.precision, c.recall, c.support])).toEqual([['a', 1, 0.5, 2], ['b', 2 / 3, 2 / 3, 3], ['c', 0.5, 1, 1]]);
    expect(r.classes.map((c) => c.f1)).toEqual([2 / 3, 2 / 3, 2 / 3].map((v) => expect.closeTo(v, 12)));
    expect(r.accuracy).toBeCloseTo(4 / 6, 12);
    expect(r.macroAvg.precision).toBeCloseTo((1 + 2 / 3 + 0.5) / 3, 12);
    expect(r.weightedAvg.precision).toBeCloseTo(0.75, 12);
    expect(r.toString().split('\n')[2]).toBe('           a      1.00      0.50      0.67         2');
  });
});
