/** What is known about `gl` (headless-gl) when gpu.js reports it unusable. */
export interface GlProbe {
  /** Loads the `gl` module: returns its context factory, or throws as require does. */
  load(): (width: number, height: number) => unknown;
  platform: string;
  /** $DISPLAY, if set. */
  display: string | undefined;
}

/**
 * The cause in words: not installed, installed but its native build failed, or built but no GL context
 * (on Linux, usually no display: run under Xvfb). gpu.js only says "not supported", and the remedies differ.
 */
export function glProblem(probe: GlProbe): string {
  let create: (width: number, height: number) => unknown;
  try {
    create = probe.load();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (err.code === 'MODULE_NOT_FOUND' && /'gl'|"gl"/.test(err.message ?? '')) return "headless-gl is not usable: the optional package 'gl' is not installed (npm install gl)";
    return `headless-gl is not usable: the package 'gl' is installed but does not load (${(err.message ?? String(e)).split('\n')[0]}); rebuild it (npm rebuild gl) with the GL headers present`;
  }
  let context: unknown = null;
  try {
    context = create(1, 1);
  } catch {
    // Same remedy as a null context.
  }
  if (context) return "headless-gl is not usable: 'gl' loads and makes a context, but gpu.js rejected it (see gpu.js's headlessgl mode)";
  if (probe.platform === 'linux' && !probe.display) return "headless-gl is not usable: 'gl' is installed but there is no display to create a GL context on ($DISPLAY is unset); run under Xvfb (xvfb-run -a node …)";
  return "headless-gl is not usable: 'gl' is installed but could not create a GL context (no usable OpenGL driver?)";
}

/** The probe of this Node process: `gl` as gpu.js resolves it (from gpu.js's own location when it can be found). */
export function nodeGlProbe(): GlProbe {
  const proc = (globalThis as { process?: { platform: string; env: Record<string, string | undefined>; cwd(): string; getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as { createRequire(path: string): NodeRequire } | undefined;
  return {
    platform: proc?.platform ?? 'unknown',
    display: proc?.env.DISPLAY,
    load() {
      if (!mod || !proc) throw new Error('cannot look for gl here (no process.getBuiltinModule)');
      const fromCwd = mod.createRequire(`${proc.cwd()}/`);
      let base = fromCwd;
      try {
        base = mod.createRequire(fromCwd.resolve('gpu.js'));
      } catch {
        // gpu.js not resolvable from the working directory: look for gl from there instead.
      }
      return base('gl') as (width: number, height: number) => unknown;
    },
  };
}
