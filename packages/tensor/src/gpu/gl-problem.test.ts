import { describe, expect, it } from 'vitest';
import { glProblem } from './gl-problem.js';

const missing = () => {
  throw Object.assign(new Error("Cannot find module 'gl'\nRequire stack: …"), { code: 'MODULE_NOT_FOUND' });
};

describe('glProblem (why the gpu backend fell back)', () => {
  it('tells not installed, broken native build, no display and no driver apart', () => {
    expect(glProblem({ load: missing, platform: 'linux', display: ':0' })).toMatch(/'gl' is not installed/);
    const broken = () => {
      throw new Error('gl.node: undefined symbol: glXCreateContext');
    };
    expect(glProblem({ load: broken, platform: 'linux', display: ':0' })).toMatch(/installed but does not load \(gl\.node: undefined symbol.*npm rebuild gl/);
    const noContext = () => () => null;
    expect(glProblem({ load: noContext, platform: 'linux', display: undefined })).toMatch(/installed but there is no display .*\$DISPLAY is unset.*Xvfb/);
    expect(glProblem({ load: noContext, platform: 'linux', display: ':99' })).toMatch(/installed but could not create a GL context/);
    expect(glProblem({ load: noContext, platform: 'darwin', display: undefined })).not.toMatch(/display/);
  });
});
