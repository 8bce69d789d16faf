import { NNError } from '@nn/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQLiteStorage } from './storage-sqlite.js';
import { createStudy } from './study.js';

describe('named errors in hpo', () => {
  it('an SQLite path that cannot be opened is an NNError naming the file, not better-sqlite3 TypeError', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nn-hpo-'));
    const path = join(dir, 'missing-dir', 'study.db');
    try {
      let caught: unknown;
      try {
        new SQLiteStorage({ path });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(NNError);
      expect((caught as NNError).code).toBe('IO_ERROR');
      expect((caught as NNError).message).toBe(`SQLiteStorage: cannot open the database file ${path}: Cannot open database because the directory does not exist`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('suggest options are checked by name', async () => {
    const study = await createStudy();
    const trial = await study.ask();
    expect(() => trial.suggestFloat('lr', 1e-4, 1, { lg: true } as never)).toThrow('suggestFloat("lr"): unknown option "lg"; did you mean "log"? (options: log, step)');
    expect(() => trial.suggestInt('units', 1, 8, { stpe: 2 } as never)).toThrow('suggestInt("units"): unknown option "stpe"; did you mean "step"? (options: log, step)');
  });
});
