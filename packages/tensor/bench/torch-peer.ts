// The PyTorch column of `pnpm bench` (this package's bench.ts and @nn/layers' bench/fit.ts): one
// long-lived `python3 bench/torch_peer.py` (single-threaded torch) that the bench asks for one timing at a
// time, so its rounds interleave with the other columns'. Optional: where no Python has torch the column
// is skipped with one line saying how to get it. Bench only; nothing in the tests or CI needs Python.
import { spawn, spawnSync, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./torch_peer.py', import.meta.url));

/** A float32 array the peer reads from a file, so both sides time the same values. */
export interface TorchInput {
  file: string;
  shape: number[];
}

/** `NN_BENCH_PYTHON` if set, else `python3`, else Debian's own /usr/bin/python3 (where python3-torch installs; a pyenv `python3` may hide it). */
const PYTHONS = process.env.NN_BENCH_PYTHON ? [process.env.NN_BENCH_PYTHON] : ['python3', '/usr/bin/python3'];

const findPython = (): string | null => PYTHONS.find((py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0) ?? null;

export class TorchPeer {
  private readonly lines: AsyncIterator<string>;
  private readonly dir = mkdtempSync(join(tmpdir(), 'nn-bench-torch-'));
  private files = 0;
  /** torch's version and thread count, as the peer reports them. */
  version = '';

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  /** Starts the peer, or prints why the PyTorch column is skipped and returns null. */
  static async start(): Promise<TorchPeer | null> {
    const python = findPython();
    if (!python) {
      console.log(`PyTorch column skipped: no Python with torch (tried ${PYTHONS.join(', ')}); Debian: \`apt-get install python3-torch\`, or set NN_BENCH_PYTHON to a Python that has torch`);
      return null;
    }
    const peer = new TorchPeer(spawn(python, [SCRIPT], { stdio: ['pipe', 'pipe', 'inherit'] }));
    const hello = JSON.parse(await peer.next()) as { torch: string; threads: number };
    peer.version = `${hello.torch}, ${hello.threads} thread${hello.threads === 1 ? '' : 's'}`;
    return peer;
  }

  private async next(): Promise<string> {
    const { value, done } = await this.lines.next();
    if (done) throw new Error('bench: the PyTorch peer (bench/torch_peer.py) exited; see its error above');
    return value;
  }

  /** Writes values where the peer can read them. */
  input(values: Float32Array, shape: number[]): TorchInput {
    const file = join(this.dir, `${this.files++}.f32`);
    writeFileSync(file, values);
    return { file, shape };
  }

  /** Seconds the peer measured for one request (see torch_peer.py for the requests). */
  async seconds(request: object): Promise<number> {
    this.child.stdin.write(`${JSON.stringify(request)}\n`);
    const reply = JSON.parse(await this.next()) as { seconds?: number; error?: string };
    if (reply.error !== undefined) throw new Error(`bench: the PyTorch peer failed: ${reply.error}`);
    return reply.seconds!;
  }

  close(): void {
    this.child.stdin.end();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
