/**
 * Compiles this package's sources to plain JavaScript in a temporary directory, so that
 * a child process can run the current code without a prior build. The directory links
 * the workspace's node_modules so that `@voip/protocol` and naudiodon resolve.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const workspaceNodeModules = resolve(packageDir, '..', '..', 'node_modules');

/** A compiled copy of `src/`: `entry` is the URL-ready path of `index.js`. */
export interface CompiledPackage {
  readonly dir: string;
  readonly entry: string;
  remove(): void;
}

/** Transpiles every non-test `.ts` file under `src/` (subdirectories included) into a fresh temporary directory. */
export function compilePackage(): CompiledPackage {
  const dir = mkdtempSync(join(tmpdir(), 'voip-media-build-'));
  const out = join(dir, 'src');
  mkdirSync(out);
  symlinkSync(workspaceNodeModules, join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  const srcDir = join(packageDir, 'src');
  for (const name of readdirSync(srcDir, { recursive: true, encoding: 'utf8' })) {
    if (!name.endsWith('.ts') || name.endsWith('.test.ts')) continue;
    const result = ts.transpileModule(readFileSync(join(srcDir, name), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: name,
    });
    const target = join(out, name.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, result.outputText);
  }
  return { dir, entry: join(out, 'index.js'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
