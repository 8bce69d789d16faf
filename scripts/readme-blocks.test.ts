// Docs that run: every ```ts block of every README (and docs/*.md) is type-checked as a module against the
// packages' sources; blocks fenced ```ts runnable are also executed (tsx) and must exit 0.
// A block that uses names it does not define (xTrain, a model from an earlier block) gets them from a prelude,
// an HTML comment right above the fence, invisible on the rendered page:
//   <!-- prelude
//   import type { Tensor } from '@nn/tensor';
//   declare const xTrain: Tensor;
//   -->
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, '.readme-blocks');

interface Block { readme: string; line: number; code: string; prelude: string; runnable: boolean; file: string }

function markdownFiles(): string[] {
  const files = ['README.md'];
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir))) if (existsSync(join(root, dir, name, 'README.md'))) files.push(join(dir, name, 'README.md'));
  }
  if (existsSync(join(root, 'docs'))) for (const name of readdirSync(join(root, 'docs'))) if (name.endsWith('.md')) files.push(join('docs', name));
  return files;
}

/** The ```ts blocks of one markdown file, with their preludes and 1-based line numbers. */
function extractBlocks(readme: string, text: string): Omit<Block, 'file'>[] {
  const blocks: Omit<Block, 'file'>[] = [];
  // Fences may be indented (inside a list item); the indent is removed from the block and its prelude.
  const fence = /(?:^[ \t]*<!--\s*prelude\n([\s\S]*?)^[ \t]*-->[ \t]*\n)?^([ \t]*)```(?:ts|typescript)( runnable)?[ \t]*\n([\s\S]*?)^\2```[ \t]*$/gm;
  const dedent = (code: string, indent: string) => code.split('\n').map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).join('\n');
  for (const m of text.matchAll(fence)) {
    const start = m.index + m[0].indexOf('```');
    const indent = m[2] ?? '';
    blocks.push({ readme, line: text.slice(0, start).split('\n').length, prelude: dedent(m[1] ?? '', indent), runnable: Boolean(m[3]), code: dedent(m[4] ?? '', indent) });
  }
  return blocks;
}

function writeBlocks(): Block[] {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const blocks: Block[] = [];
  for (const readme of markdownFiles()) {
    for (const b of extractBlocks(readme, readFileSync(join(root, readme), 'utf8'))) {
      const file = join(out, `${readme.replace(/[/.]/g, '_')}_L${b.line}.ts`);
      // The prelude keeps its own lines; the block starts on a fresh one. `export {}` makes it a module (top-level await).
      writeFileSync(file, `${b.prelude}\n${b.code}\nexport {};\n`);
      blocks.push({ ...b, file });
    }
  }
  return blocks;
}

describe('README code blocks', () => {
  const blocks = writeBlocks();

  it('type-check', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(root, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    // As strict as a careful user's project; subpath entries (@nn/tensor/gpu) resolve to their sources too.
    const paths: Record<string, string[]> = { ...config.options.paths };
    for (const dir of readdirSync(join(root, 'packages'))) {
      const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string; exports: Record<string, unknown> };
      for (const key of Object.keys(manifest.exports)) if (key.startsWith('./') && key !== './package.json') paths[`${manifest.name}/${key.slice(2)}`] = [`packages/${dir}/src/${key.slice(2)}.ts`];
    }
    const options = { ...config.options, paths, noEmit: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true };
    const program = ts.createProgram(blocks.map((b) => b.file), options);
    const errors = blocks.flatMap((b) => {
      const source = program.getSourceFile(b.file)!;
      const preludeLines = b.prelude.split('\n').length;
      return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)].map((d) => {
        const { line } = source.getLineAndCharacterOfPosition(d.start ?? 0);
        const where = line < preludeLines ? `prelude of the block at ${b.readme}:${b.line}` : `${b.readme}:${b.line + 1 + line - preludeLines}`;
        return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    });
    expect(blocks.length).toBeGreaterThan(20);
    expect(errors).toEqual([]);
  }, 120_000);

  it('runnable blocks run', () => {
    const runnable = blocks.filter((b) => b.runnable);
    expect(runnable.length).toBeGreaterThan(3);
    const failures: string[] = [];
    for (const b of runnable) {
      try {
        execFileSync(process.execPath, ['--import', 'tsx', b.file], { cwd: root, stdio: 'pipe', encoding: 'utf8', timeout: 60_000 });
      } catch (e) {
        const err = e as { stderr?: string; message: string };
        failures.push(`${b.readme}:${b.line} (${relative(root, b.file)}): ${(err.stderr || err.message).split('\n').slice(0, 6).join('\n')}`);
      }
    }
    expect(failures).toEqual([]);
  }, 300_000);
});
