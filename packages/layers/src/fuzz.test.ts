import { deserialize, NNError, crc32 } from '@nn/core';
import { Adam, type OptimizerStateDict } from '@nn/optim';
import { dropout } from '@nn/regularize';
import { randn, setSeed, zeros } from '@nn/tensor';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, cpSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { activation, batchNorm, dense, flatten, layerNorm, loadModel, maxout, modelFromJSON, residual, sequential, type Model } from './node.js';

/**
 * Fuzzing every way a file or a JSON config gets in: generated and mutated inputs must either load
 * correctly or fail with a named NNError, never a TypeError/RangeError from deep inside.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `v` (the root is []). */
function paths(v: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

/** `v` with the value at `path` replaced (or deleted when `replacement` is undefined). */
function mutate(v: Json, path: (string | number)[], replacement: Json | undefined): Json {
  if (path.length === 0) return replacement ?? null;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as object) }) as Record<string | number, Json>;
  const [head, ...rest] = path;
  if (rest.length === 0 && replacement === undefined) {
    if (Array.isArray(copy)) (copy as Json[]).splice(head as number, 1);
    else delete copy[head];
  } else {
    copy[head] = mutate(copy[head], rest, replacement);
  }
  return copy as Json;
}

/** Mutations: up to three edits, each replacing a random value with random JSON (or a nasty number), or deleting it. */
const edits = fc.array(
  fc.record({
    at: fc.nat(),
    value: fc.option(fc.oneof(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, fc.constantFrom<Json>(-1, 0, 1e300, -1e300, 2.5, 1e12, '../x', '__proto__', [], {})), { nil: undefined }),
  }),
  { minLength: 1, maxLength: 3 },
);

function applyEdits(base: Json, list: { at: number; value: Json | undefined }[]): Json {
  let v = base;
  for (const e of list) {
    const ps = paths(v);
    v = mutate(v, ps[e.at % ps.length], e.value);
  }
  return v;
}

/** Runs `fn`; anything thrown must be an NNError. */
async function namedOrOk(fn: () => unknown): Promise<'ok' | 'named'> {
  try {
    await fn();
    return 'ok';
  } catch (e) {
    if (!(e instanceof NNError)) throw new Error(`not an NNError: ${String((e as Error)?.stack ?? e)}`);
    return 'named';
  }
}

function model(): Model {
  setSeed(1);
  const m = sequential([dense(3, { activation: 'relu', inputShape: [4] }), batchNorm(), dense(2, { activation: 'softmax' })]);
  m.compile({ optimizer: new Adam({ lr: 0.01, amsgrad: true }), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return m;
}

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'nn-fuzz-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('fuzz: only named errors or correct loads', () => {
  it('deserialize of arbitrary JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (v) => {
        await namedOrOk(() => deserialize(v as never));
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('layer', 'loss', 'metric', 'optimizer', 'initializer', 'activation', 'regularizer', 'schedule', 'callback'), fc.string(), fc.jsonValue({ maxDepth: 2 }), async (kind, name, config) => {
        await namedOrOk(() => deserialize({ kind, name, config, format: 1 } as never));
      }),
      { numRuns: 300 },
    );
  });

  it('modelFromJSON of mutated model configs (every layer kind of this package, dropout, a regularizer)', async () => {
    const rich = sequential([
      flatten({ inputShape: [4] }), dense(3, { activation: 'relu', kernelRegularizer: 'l2' }), batchNorm(), residual(sequential([dense(3), layerNorm()])),
      maxout(2, { pieces: 2 }), dropout(0.2, { seed: 1 }), activation('leakyRelu', { slope: 0.1 }), dense(2, { activation: 'softmax' }),
    ]);
    const base = JSON.parse(JSON.stringify(rich.toJSON())) as Json;
    let ok = 0;
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        // Building runs the configs' values through the layers' build (sizes, initializers).
        if ((await namedOrOk(() => modelFromJSON(applyEdits(base, list) as never).buildIfDeclared())) === 'ok') ok++;
      }),
      { numRuns: 1000 },
    );
    expect(ok).toBeGreaterThan(0);
  });

  it('loadStateDict of mutated state dicts', async () => {
    const w = randn([3, 2]);
    const opt = new Adam([w], { lr: 0.1, amsgrad: true });
    for (let i = 0; i < 2; i++) {
      w.grad = randn([3, 2]);
      opt.step();
    }
    const base = JSON.parse(JSON.stringify(opt.stateDict())) as Json;
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        const target = new Adam([zeros([3, 2])], { lr: 0.1, amsgrad: true });
        await namedOrOk(() => target.loadStateDict(applyEdits(base, list) as unknown as OptimizerStateDict));
      }),
      { numRuns: 400 },
    );
  });

  it('loadModel of mutated files (resealed JSON edits, byte flips, truncations)', async () => {
    const m = model();
    await m.fit(randn([6, 4]), [[1, 0], [0, 1], [1, 0], [0, 1], [1, 0], [0, 1]], { epochs: 1, verbose: 0 });
    const original = tmp();
    await m.save(original);
    const jsonText = readFileSync(join(original, 'model.json'), 'utf8');
    const base = JSON.parse(jsonText) as Json;
    const weightsName = readdirSync(original).find((f) => f.endsWith('.bin'))!;
    const weights = readFileSync(join(original, weightsName));
    const reseal = (v: Json): string => {
      if (!v || typeof v !== 'object' || Array.isArray(v)) return JSON.stringify(v);
      const { integrity: _i, ...rest } = v;
      return JSON.stringify({ ...rest, integrity: { crc32: crc32(new TextEncoder().encode(JSON.stringify(rest))) } });
    };
    const dir = tmp();
    const attempt = async (modelJson: string, bin: Uint8Array) => {
      rmSync(dir, { recursive: true, force: true });
      cpSync(original, dir, { recursive: true });
      writeFileSync(join(dir, 'model.json'), modelJson);
      writeFileSync(join(dir, weightsName), bin);
      return namedOrOk(() => loadModel(dir));
    };
    expect(await attempt(jsonText, weights)).toBe('ok');
    await fc.assert(
      fc.asyncProperty(edits, async (list) => {
        await attempt(reseal(applyEdits(base, list)), weights);
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), fc.boolean(), fc.nat(), async (at, xor, inJson, cut) => {
        const text = Buffer.from(jsonText);
        if (inJson) {
          text[at % text.length] ^= xor;
          expect(await attempt(text.toString('latin1'), weights)).toBe('named');
        } else {
          const bin = Buffer.from(weights);
          bin[at % bin.length] ^= xor;
          expect(await attempt(jsonText, cut % 3 === 0 ? bin.subarray(0, cut % bin.length) : bin)).toBe('named');
        }
      }),
      { numRuns: 150 },
    );
  });
});
