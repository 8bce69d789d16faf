#!/usr/bin/env bash
# The GL variants of the gpu.js backend's tests (@nn/tensor/gpu); the plain Node variant runs in `pnpm test`.
#  1. Node with headless-gl under Xvfb (Mesa's software renderer): every op against the cpu backend, the
#     memory test, the loss curve, and a 1,000-step soak (the 10,000-step one is the same script, by hand).
#  2. Debian's chromium driven by playwright-core (no browser download), in WebGL2 and in WebGPU
#     (both on SwiftShader).
# `deps` runs before `pnpm install` (as root): with the GL headers present, the install builds `gl` from source
# with the npm config's Node headers. `run` runs after the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

if [ "${1:-run}" = deps ]; then
  echo "== gpu: Debian packages"
  apt-get update -q
  apt-get install -y -q xvfb xauth libxi-dev libglu1-mesa-dev libglew-dev pkg-config python3 make g++ chromium
  exit 0
fi

echo "== gpu: headless-gl (gl builds from source: its prebuilt download cannot reach its host)"
GL_DIR=$(ls -d node_modules/.pnpm/gl@*/node_modules/gl | head -n 1)
if ! node -e "require('./${GL_DIR}')" 2>/dev/null; then
  # Node's headers come from the machine (npm's nodedir), as in the install: node-gyp cannot download them here.
  NODEDIR=$(npm config get nodedir 2>/dev/null || true); case "$NODEDIR" in undefined|null) NODEDIR= ;; esac
  (cd "$GL_DIR" && ../../../node_modules/.bin/node-gyp rebuild ${NODEDIR:+--nodedir="$NODEDIR"})
fi

XVFB=(xvfb-run -a -s "-ac -screen 0 1280x1024x24")
echo "== gpu: Node, headless-gl under Xvfb"
# Forks, not threads: the native gl module loads only in a process's main thread.
NN_GPU_EXPECT_MODE=headlessgl "${XVFB[@]}" npx vitest run packages/tensor/src/gpu --pool=forks

echo "== gpu: memory soak, 1,000 steps under headless-gl"
"${XVFB[@]}" npx tsx packages/tensor/src/gpu/soak.ts 1000

echo "== gpu: browser (chromium: WebGL2, WebGPU)"
node packages/tensor/src/gpu/browser/run.mjs webgl2 webgpu
