import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
// @ts-expect-error plain ESM script without types
import { checkProject, importsOf } from '../check-boundaries.mjs';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Lays out a fake project `<tmp>/<kind>/<name>` with one source file. */
function project(kind: 'packages' | 'apps', pkg: object, source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'voip-bounds-'));
  made.push(root);
  const dir = join(root, kind, 'p');
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
  writeFileSync(join(dir, 'src', 'index.ts'), source);
  return dir;
}

describe('importsOf', () => {
  test('finds static, re-export, dynamic and require specifiers', () => {
    const text = `import a from 'x';\nimport type { B } from "y";\nexport { c } from './c.js';\nconst d = await import('z');\nimport 'side';\nrequire('r');`;
    expect(importsOf(text)).toEqual(['x', 'y', './c.js', 'z', 'side', 'r']);
  });
});

describe('checkProject', () => {
  test.each([
    ['a library importing an app', 'packages', { name: '@voip/media', dependencies: { '@voip/server': '*' } }, `import x from '@voip/server';`, /library imports app/],
    ['protocol importing node:net', 'packages', { name: '@voip/protocol' }, `import { Socket } from 'node:net';`, /sans-IO/],
    ['protocol importing dgram', 'packages', { name: '@voip/protocol' }, `import dgram from 'dgram';`, /sans-IO/],
    ['protocol importing another package', 'packages', { name: '@voip/protocol' }, `import { x } from '@voip/media';`, /must not import other packages/],
    ['an undeclared workspace dependency', 'packages', { name: '@voip/session' }, `import { x } from '@voip/media';`, /not declared/],
    ['a deep import into src', 'apps', { name: '@voip/client', dependencies: { '@voip/session': '*' } }, `import { x } from '@voip/session/src/phone.js';`, /deep import/],
    ['a relative import leaving the project', 'apps', { name: '@voip/client' }, `import { x } from '../../../packages/session/src/index.js';`, /leaves the project/],
  ] as const)('flags %s', (_label, kind, pkg, source, pattern) => {
    const problems: string[] = checkProject(project(kind, pkg, source));
    expect(problems.some((p) => pattern.test(p))).toBe(true);
  });

  test('accepts declared dependencies and relative imports inside the project', () => {
    const dir = project('apps', { name: '@voip/client', dependencies: { '@voip/session': '*' } }, `import { Phone } from '@voip/session';\nimport { x } from './x.js';\nimport net from 'node:net';`);
    expect(checkProject(dir)).toEqual([]);
  });

  test('the workspace itself has no violation', () => {
    const root = join(import.meta.dirname, '..', '..');
    for (const dir of ['packages/protocol', 'packages/registry', 'packages/media', 'packages/session', 'apps/server', 'apps/client']) {
      expect(checkProject(join(root, dir)), dir).toEqual([]);
    }
  });
});
