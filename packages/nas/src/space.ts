import { ErrorCode, NNError, type JsonObject } from '@nn/core';
import type { RNG } from '@nn/hpo';

/** A value a decision can take: plain JSON, so an architecture is a plain JSON object. */
export type DecisionValue = number | string | boolean | null;

/** One decision among fixed values. */
export interface Choice<T extends DecisionValue = DecisionValue> {
  readonly type: 'choice';
  readonly values: readonly T[];
}

/** A block of decisions repeated as often as an earlier integer decision says (the number of layers). */
export interface Repeat {
  readonly type: 'repeat';
  readonly count: string;
  readonly body: Readonly<Record<string, Choice | SkipConnection>>;
}

/**
 * Inside a repeat: which earlier output to concatenate to this block's input. At block i the values are
 * `null` (none), `'input'` and the blocks `0 … i-2` (block i-1 already feeds block i).
 */
export interface SkipConnection {
  readonly type: 'skip';
}

export type Decision = Choice | Repeat | SkipConnection;

/** An architecture: the values of the decisions a space asked for, as plain JSON. */
export type Architecture = Record<string, DecisionValue | Array<Record<string, DecisionValue>>>;

/** One decision as it is met while an architecture is made: where it is, and what it may be. */
export interface Slot {
  /** `name`, or `name.i.field` inside a repeat (`layers.1.units`). */
  readonly path: string;
  readonly values: readonly DecisionValue[];
}

/** A picker chooses the index of a value for each slot, in order; strategies differ only in how. */
export type Picker = (slot: Slot) => number;

const fail = (message: string, details?: JsonObject): never => {
  throw new NNError(ErrorCode.InvalidArgument, message, details);
};

const isValue = (v: unknown): v is DecisionValue => v === null || ['number', 'string', 'boolean'].includes(typeof v);

/** A decision among `values` (numbers, strings, booleans or null; distinct; at least one). */
export function choice<T extends DecisionValue>(values: readonly T[]): Choice<T> {
  if (!Array.isArray(values) || values.length === 0) fail(`choice: values must be a non-empty array, got ${JSON.stringify(values)}`);
  values.forEach((v, i) => {
    if (!isValue(v) || (typeof v === 'number' && !Number.isFinite(v))) fail(`choice: values[${i}] must be a finite number, a string, a boolean or null, got ${String(v)}`);
    if (values.indexOf(v) !== i) fail(`choice: values[${i}] (${JSON.stringify(v)}) repeats values[${values.indexOf(v)}]`);
  });
  return { type: 'choice', values: [...values] };
}

/** `body`'s decisions once per unit of the earlier integer decision `count` (`repeat('numLayers', { units: choice([…]) })`). */
export function repeat(count: string, body: Record<string, Choice | SkipConnection>): Repeat {
  if (typeof count !== 'string') fail(`repeat: count must name an earlier decision, got ${String(count)}`);
  if (typeof body !== 'object' || body === null || Object.keys(body).length === 0) fail('repeat: body must be a non-empty object of decisions');
  for (const [k, d] of Object.entries(body)) if (d?.type !== 'choice' && d?.type !== 'skip') fail(`repeat: body.${k} must be a choice([...]) or skipConnection()`);
  return { type: 'repeat', count, body: { ...body } };
}

/** A skip connection to an earlier block (inside a repeat): none, the input, or an earlier block's output. */
export function skipConnection(): SkipConnection {
  return { type: 'skip' };
}

/** Builds a model (or anything) from an architecture; ready spaces build @nn/layers models. */
export type Builder<M> = (architecture: Architecture) => M;

/**
 * A search space: named decisions in order, where a `repeat` makes the number of later decisions depend on
 * an earlier one. Every architecture is made by walking the space with a {@link Picker}.
 */
export class SearchSpace<M = unknown> {
  readonly decisions: Readonly<Record<string, Decision>>;
  private readonly builder: Builder<M> | undefined;

  constructor(decisions: Record<string, Decision>, options: { build?: Builder<M> } = {}) {
    if (typeof decisions !== 'object' || decisions === null || Object.keys(decisions).length === 0) fail('searchSpace: expected an object of named decisions, got none');
    const seen = new Set<string>();
    for (const [name, d] of Object.entries(decisions)) {
      if (name.includes('.')) fail(`searchSpace: decision names may not contain '.', got "${name}"`);
      if (d?.type === 'skip') fail(`searchSpace: ${name}: skipConnection() belongs inside a repeat`);
      if (d?.type === 'repeat') {
        const counter = decisions[d.count];
        if (!seen.has(d.count) || counter?.type !== 'choice') fail(`searchSpace: ${name} repeats by "${d.count}", which must be a choice declared before it`);
        const bad = (counter as Choice).values.find((v) => !Number.isInteger(v) || (v as number) < 0);
        if (bad !== undefined) fail(`searchSpace: ${name} repeats by "${d.count}", whose values must be non-negative integers; it has ${JSON.stringify(bad)}`);
      } else if (d?.type !== 'choice') fail(`searchSpace: ${name} must be choice([...]) or repeat(...)`);
      seen.add(name);
    }
    this.decisions = { ...decisions };
    this.builder = options.build;
  }

  /** Makes an architecture, asking `pick` for each decision in order (conditional ones only when they exist). */
  walk(pick: Picker): Architecture {
    const arch: Architecture = {};
    const take = (path: string, values: readonly DecisionValue[]): DecisionValue => {
      const i = pick({ path, values });
      if (!Number.isInteger(i) || i < 0 || i >= values.length) fail(`searchSpace: the picker chose ${String(i)} for ${path}, which has ${values.length} values`);
      return values[i];
    };
    for (const [name, d] of Object.entries(this.decisions)) {
      if (d.type === 'choice') arch[name] = take(name, d.values);
      else if (d.type === 'repeat') {
        const blocks: Array<Record<string, DecisionValue>> = [];
        for (let i = 0; i < (arch[d.count] as number); i++) {
          const block: Record<string, DecisionValue> = {};
          for (const [field, b] of Object.entries(d.body)) block[field] = take(`${name}.${i}.${field}`, b.type === 'choice' ? b.values : skipValues(i));
          blocks.push(block);
        }
        arch[name] = blocks;
      }
    }
    return arch;
  }

  /** Every slot that any architecture can have, with the most values it can have there (a controller's heads). */
  slots(): Slot[] {
    const out: Slot[] = [];
    for (const [name, d] of Object.entries(this.decisions)) {
      if (d.type === 'choice') out.push({ path: name, values: d.values });
      else if (d.type === 'repeat') {
        const max = Math.max(...((this.decisions[d.count] as Choice).values as number[]));
        for (let i = 0; i < max; i++) for (const [field, b] of Object.entries(d.body)) out.push({ path: `${name}.${i}.${field}`, values: b.type === 'choice' ? b.values : skipValues(i) });
      }
    }
    return out;
  }

  /** An architecture's decisions as the walk meets them: the slot and the index chosen. Validates it. */
  indices(architecture: Architecture): Array<{ slot: Slot; index: number }> {
    if (typeof architecture !== 'object' || architecture === null) fail(`searchSpace: an architecture must be an object, got ${String(architecture)}`);
    const out: Array<{ slot: Slot; index: number }> = [];
    this.walk((slot) => {
      const value = valueAt(architecture, slot.path);
      const index = slot.values.indexOf(value as DecisionValue);
      if (index < 0) fail(`searchSpace: architecture.${slot.path} is ${JSON.stringify(value)}; expected one of ${JSON.stringify(slot.values)}`, { path: slot.path });
      out.push({ slot, index });
      return index;
    });
    const extra = Object.keys(architecture).filter((k) => !(k in this.decisions));
    if (extra.length) fail(`searchSpace: architecture has unknown decisions: ${extra.join(', ')}`);
    return out;
  }

  /** A canonical string for an architecture (the same architecture always gives the same key). */
  key(architecture: Architecture): string {
    return this.indices(architecture).map((d) => d.index).join('-');
  }

  /** A uniformly random value per decision. */
  sample(rng: RNG): Architecture {
    return this.walk((slot) => rng.integer(0, slot.values.length - 1));
  }

  /** Every architecture of the space, in walk order (stops with an error past `limit`). */
  *enumerate(limit = 100_000): Generator<Architecture> {
    let prefix: number[] = [];
    for (let n = 0; ; n++) {
      if (n >= limit) fail(`searchSpace.enumerate: the space has more than ${limit} architectures`);
      const sizes: number[] = [];
      const arch = this.walk((slot) => {
        const i = prefix[sizes.length] ?? 0;
        sizes.push(slot.values.length);
        return i;
      });
      yield arch;
      const chosen = sizes.map((_, k) => prefix[k] ?? 0);
      let k = chosen.length - 1;
      while (k >= 0 && chosen[k] + 1 >= sizes[k]) k--;
      if (k < 0) return;
      prefix = [...chosen.slice(0, k), chosen[k] + 1];
    }
  }

  /** The model of an architecture (ready spaces build @nn/layers models; yours may build anything). */
  build(architecture: Architecture): M {
    if (!this.builder) fail('searchSpace: this space has no build function; pass { build } to searchSpace');
    this.indices(architecture);
    return this.builder!(architecture);
  }
}

/** The values of a skip connection at block i. */
function skipValues(i: number): DecisionValue[] {
  return [null, ...(i >= 1 ? ['input'] : []), ...Array.from({ length: Math.max(0, i - 1) }, (_, j) => j)];
}

function valueAt(arch: Architecture, path: string): unknown {
  const [name, i, field] = path.split('.');
  if (i === undefined) return arch[name];
  const blocks = arch[name];
  return Array.isArray(blocks) ? blocks[Number(i)]?.[field] : undefined;
}

/** A search space of named decisions: `searchSpace({ numLayers: choice([1, 2]), layers: repeat('numLayers', {...}) })`. */
export function searchSpace<M = unknown>(decisions: Record<string, Decision>, options: { build?: Builder<M> } = {}): SearchSpace<M> {
  return new SearchSpace<M>(decisions, options);
}
