// The workspace's module boundaries, pinned down by linting small sources as if they lived in each project.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

/** The rules that carry the boundaries; other findings (style, unused names) are not this file's concern. */
const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', '@nx/dependency-checks', 'no-restricted-imports', 'no-restricted-syntax']);

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** Lints `text` as the file `path` (relative to the workspace root) and returns its boundary findings. */
async function boundaryFindings(path: string, text: string): Promise<{ rule: string; message: string }[]> {
  const [result] = await eslint.lintText(text, { filePath: join(root, path) });
  const fatal = result!.messages.filter((m) => m.fatal);
  expect(fatal, 'the source parses').toEqual([]);
  return result!.messages.filter((m) => m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId)).map((m) => ({ rule: m.ruleId!, message: m.message }));
}

describe('module boundaries', () => {
  test.each([
    ['a library importing an app', 'packages/media/src/probe.ts', `import { x } from '@voip/server';\nexport { x };`, 'no-restricted-imports', /never imports an app/],
    ['protocol importing an app', 'packages/protocol/src/probe.ts', `import { x } from '@voip/client';\nexport { x };`, 'no-restricted-imports', /never imports an app/],
    ['protocol importing node:net', 'packages/protocol/src/probe.ts', `import { Socket } from 'node:net';\nexport { Socket };`, 'no-restricted-imports', /sans-IO/],
    ['protocol importing dgram', 'packages/protocol/src/probe.ts', `import dgram from 'dgram';\nexport { dgram };`, 'no-restricted-imports', /sans-IO/],
    ['protocol importing timers', 'packages/protocol/src/probe.ts', `export { setTimeout } from 'node:timers/promises';`, 'no-restricted-imports', /sans-IO/],
    ['protocol loading fs dynamically', 'packages/protocol/src/probe.ts', `export const fs = await import('node:fs');`, 'no-restricted-syntax', /sans-IO/],
    [
      'protocol importing another package',
      'packages/protocol/src/probe.ts',
      `import { realClock } from '@voip/clock';\nexport { realClock };`,
      '@nx/enforce-module-boundaries',
      /"scope:protocol" cannot depend on any libs/,
    ],
    [
      'the clock importing another package',
      'packages/clock/src/probe.ts',
      `import { nameKey } from '@voip/protocol';\nexport { nameKey };`,
      '@nx/enforce-module-boundaries',
      /"scope:clock" cannot depend on any libs/,
    ],
    [
      'the registry importing the session above it',
      'packages/registry/src/probe.ts',
      `import { Phone } from '@voip/session';\nexport { Phone };`,
      '@nx/enforce-module-boundaries',
      /"scope:registry" can only depend on libs tagged with/,
    ],
    [
      'media importing the session that uses it',
      'packages/media/src/probe.ts',
      `import { Phone } from '@voip/session';\nexport { Phone };`,
      '@nx/enforce-module-boundaries',
      /Circular dependency between "@voip\/media" and "@voip\/session"/,
    ],
    [
      'a deep import into a package',
      'apps/client/src/probe.ts',
      `import { Phone } from '@voip/session/src/phone.js';\nexport { Phone };`,
      'no-restricted-imports',
      /through an entry its package.json/,
    ],
    [
      'a dynamic deep import into a package',
      'apps/client/src/probe.ts',
      `export const phone = await import('@voip/session/dist/phone.js');`,
      'no-restricted-syntax',
      /through an entry its package.json/,
    ],
    [
      'a subpath its package does not export',
      'packages/session/test/probe.test.ts',
      `import { x } from '@voip/protocol/internal';\nexport { x };`,
      'no-restricted-imports',
      /through an entry its package.json/,
    ],
    [
      'a relative import leaving the project',
      'apps/client/src/probe.ts',
      `import { Phone } from '../../../packages/session/src/index.js';\nexport { Phone };`,
      '@nx/enforce-module-boundaries',
      /cannot be imported by a relative or absolute path/,
    ],
    [
      'a project importing itself by name',
      'packages/session/src/probe.ts',
      `import { Phone } from '@voip/session';\nexport { Phone };`,
      '@nx/enforce-module-boundaries',
      /use relative imports/i,
    ],
  ] as const)('flags %s', async (_label, path, text, rule, pattern) => {
    const findings = await boundaryFindings(path, text);
    expect(
      findings.some((f) => f.rule === rule && pattern.test(f.message)),
      JSON.stringify(findings),
    ).toBe(true);
  });

  test('flags a @voip package that the code imports but package.json does not declare', async () => {
    const path = 'packages/session/package.json';
    const pkg = JSON.parse(readFileSync(join(root, path), 'utf8'));
    expect(pkg.dependencies['@voip/media']).toBeDefined();
    delete pkg.dependencies['@voip/media'];
    const findings = await boundaryFindings(path, JSON.stringify(pkg, null, 2));
    expect(
      findings.some((f) => f.rule === '@nx/dependency-checks' && /@voip\/media/.test(f.message)),
      JSON.stringify(findings),
    ).toBe(true);
  });

  test.each([
    [
      'an app importing a declared library, a relative file and a socket',
      'apps/client/src/probe.ts',
      `import { Phone } from '@voip/session';\nimport { x } from './x.js';\nimport net from 'node:net';\nexport { Phone, x, net };`,
    ],
    ['a protocol test opening a socket', 'packages/protocol/test/probe.test.ts', `import net from 'node:net';\nexport { net };`],
    ['an example importing its package by name', 'packages/session/examples/probe.mjs', `import { Phone } from '@voip/session';\nexport { Phone };`],
    ['a subpath its package exports', 'tools/bench/probe.mjs', `import { createToneSource } from '@voip/media/internal';\nexport { createToneSource };`],
    ['a dynamic import of a subpath its package exports', 'packages/session/test/probe.test.ts', `export const media = await import('@voip/media/internal');`],
    ['a package.json import', 'apps/client/src/probe.ts', `import pkg from '@voip/session/package.json' with { type: 'json' };\nexport { pkg };`],
  ])('accepts %s', async (_label, path, text) => {
    expect(await boundaryFindings(path, text)).toEqual([]);
  });

  test('the workspace itself has no boundary violation', async () => {
    const results = await eslint.lintFiles(['.']);
    const findings = results.flatMap((r) =>
      r.messages.filter((m) => m.fatal || (m.ruleId !== null && BOUNDARY_RULES.has(m.ruleId))).map((m) => `${r.filePath}:${m.line}: ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(50);
    expect(findings).toEqual([]);
  });
});
