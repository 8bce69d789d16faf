import { crc32, NNError } from '@nn/core';
import { Adam } from '@nn/optim';
import { randn, setSeed } from '@nn/tensor';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dense, loadModel, sequential } from './node.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nn-harden-'));

async function savedModel(): Promise<{ dir: string; json: Record<string, unknown> }> {
  setSeed(2);
  const model = sequential([dense(3, { activation: 'relu', inputShape: [4] }), dense(2)]);
  model.compile({ optimizer: new Adam({ lr: 0.01 }), loss: 'meanSquaredError' });
  await model.fit(randn([8, 4]), randn([8, 2]), { epochs: 1, verbose: 0 });
  const dir = tmp();
  await model.save(dir);
  return { dir, json: JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) };
}

/** Writes model.json with a fresh (valid) integrity record, as a careful forger would: the other checks must hold alone. */
function rewrite(dir: string, json: Record<string, unknown>): void {
  const { integrity: _drop, ...rest } = json;
  const body = JSON.stringify(rest);
  writeFileSync(join(dir, 'model.json'), JSON.stringify({ ...rest, integrity: { crc32: crc32(new TextEncoder().encode(body)) } }));
}

async function loadFails(dir: string, message: RegExp): Promise<NNError> {
  let caught: unknown;
  try {
    await loadModel(dir);
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(NNError);
  expect((caught as NNError).message).toMatch(message);
  return caught as NNError;
}

type Manifest = { file: string; byteLength: number; entries: { name: string; shape: number[]; offset: number }[] };

describe('hardened model files', () => {
  it('one integrity record covers model.json (and through its checksum, the weights)', async () => {
    const { dir, json } = await savedModel();
    expect(json.formatVersion).toBe(2);
    expect(json.integrity).toEqual({ crc32: expect.any(Number) });
    (json.weights as Manifest).entries[0].name = 'renamed';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await loadFails(dir, /^loadModel: .*model\.json: corrupted: its integrity checksum does not match its contents$/);
    const { integrity: _i, ...noIntegrity } = json;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(noIntegrity));
    await loadFails(dir, /its integrity record is missing/);
  });

  it('never reads a weights path outside the model directory', async () => {
    const { dir, json } = await savedModel();
    const outside = join(dir, '..', 'secret.bin');
    writeFileSync(outside, readFileSync(join(dir, (json.weights as Manifest).file)));
    (json.weights as Manifest).file = '../secret.bin';
    rewrite(dir, json);
    await loadFails(dir, /names the weights file "\.\.\/secret\.bin"; save writes weights-<crc32>\.bin beside model\.json/);
  });

  it('refuses fractional, misaligned, out-of-range and overlapping offsets', async () => {
    const cases: [(m: Manifest) => void, RegExp][] = [
      [(m) => (m.entries[1].offset = 2.5), /offset 2\.5; offsets are whole multiples of 4 bytes/],
      [(m) => (m.entries[1].offset = 6), /offset 6; offsets are whole multiples of 4 bytes/],
      [(m) => (m.entries[3].offset = m.byteLength), /lies outside the file's \d+ bytes/],
      [(m) => (m.entries[1].offset = 4), /overlap/],
      [(m) => (m.byteLength = -4), /byteLength -4 is not a valid size/],
    ];
    for (const [mutate, message] of cases) {
      const { dir, json } = await savedModel();
      mutate(json.weights as Manifest);
      rewrite(dir, json);
      await loadFails(dir, message);
    }
  });

  it('a bad optimizer or loss entry names loadModel and the file', async () => {
    const { dir, json } = await savedModel();
    const training = json.training as Record<string, unknown>;
    training.loss = { kind: 'loss', name: 'meanSquaredErorr', config: {}, format: 1 };
    rewrite(dir, json);
    await loadFails(dir, new RegExp(`^loadModel: ${join(dir, 'model.json').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .*meanSquaredErorr`));
    const second = await savedModel();
    (second.json.training as Record<string, unknown>).optimizer = { kind: 'optimizer', name: 'adam', config: { lr: -1 }, format: 1 };
    rewrite(second.dir, second.json);
    await loadFails(second.dir, /^loadModel: .*model\.json: Adam: lr must be/);
  });

  it('wraps file-system errors naming the operation and the path', async () => {
    const { dir } = await savedModel();
    const model = await loadModel(dir);
    const file = join(dir, 'model.json');
    await expect(model.save(file)).rejects.toThrow(new RegExp(`^save: ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: cannot create the model directory \\((EEXIST|ENOTDIR): a file of that name is in the way\\)$`));
    if (process.getuid?.() !== 0) {
      const locked = join(tmp(), 'locked');
      mkdirSync(locked);
      chmodSync(locked, 0o500);
      try {
        await expect(model.save(locked)).rejects.toThrow(/^save: .*locked\/weights-[0-9a-f]{8}\.bin: cannot write it \(EACCES\)$/);
      } finally {
        chmodSync(locked, 0o700);
      }
    }
  });

  it('the next save removes temporary files a killed save left behind', async () => {
    const { dir } = await savedModel();
    // A pid that is not running (pid_max is far below 2^22 on Linux by default) stands for the killed writer.
    const stale = ['model.json.tmp-4194000-abc123', 'weights-00000000.bin.tmp-4194001-x9'];
    for (const name of stale) writeFileSync(join(dir, name), 'partial');
    const model = await loadModel(dir);
    await model.save(dir);
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
  });
});
