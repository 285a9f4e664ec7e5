#!/usr/bin/env node
// Module boundaries of the workspace, checked on source imports:
// - a library never imports an app;
// - a project imports another @voip package only through its package root,
//   and only if its package.json declares it;
// - no relative import leaves the project;
// - @voip/protocol stays sans-IO: no other @voip package, no sockets, files or processes.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const APPS = new Set(['@voip/server', '@voip/client']);
const IO_MODULES = ['net', 'dgram', 'tls', 'http', 'https', 'http2', 'fs', 'fs/promises', 'child_process', 'worker_threads', 'cluster', 'timers', 'timers/promises'];
const SANS_IO = new Set(['@voip/protocol']);

/** Lists every .ts/.tsx/.mjs/.js file under dir, skipping dist and node_modules. */
function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(name)) out.push(path);
  }
  return out;
}

/** Every module specifier that a file imports, exports from, or loads dynamically. */
export function importsOf(text) {
  const specs = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*)['"]([^'"]+)['"]/g;
  for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

/** Returns the list of boundary violations of the project at projectDir. */
export function checkProject(projectDir) {
  const root = resolve(projectDir);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const isApp = root.split(sep).includes('apps');
  const declared = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const problems = [];
  for (const dirName of ['src', 'test']) {
    let files = [];
    try { files = sourceFiles(join(root, dirName)); } catch { continue; }
    for (const file of files) {
      const where = relative(process.cwd(), file);
      for (const spec of importsOf(readFileSync(file, 'utf8'))) {
        const bare = spec.replace(/^node:/, '');
        if (spec.startsWith('.')) {
          const target = resolve(join(file, '..'), spec);
          if (!target.startsWith(root + sep)) problems.push(`${where}: relative import '${spec}' leaves the project`);
          continue;
        }
        if (spec.startsWith('@voip/')) {
          const [scope, name, ...rest] = spec.split('/');
          const target = `${scope}/${name}`;
          if (target === pkg.name) problems.push(`${where}: imports its own package '${spec}'; use a relative path`);
          if (rest.length > 0) problems.push(`${where}: deep import '${spec}'; import '${target}' instead`);
          if (!isApp && APPS.has(target)) problems.push(`${where}: library imports app '${target}'`);
          if (SANS_IO.has(pkg.name)) problems.push(`${where}: ${pkg.name} must not import other packages ('${spec}')`);
          else if (!declared.has(target) && dirName === 'src') problems.push(`${where}: '${target}' is not declared in package.json dependencies`);
          continue;
        }
        if (SANS_IO.has(pkg.name) && dirName === 'src' && IO_MODULES.includes(bare) && !file.endsWith('.test.ts')) {
          problems.push(`${where}: ${pkg.name} is sans-IO and must not import '${spec}'`);
        }
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dirs = process.argv.slice(2);
  let failed = false;
  for (const dir of dirs.length ? dirs : ['.']) {
    const problems = checkProject(dir);
    for (const p of problems) console.error(`boundary: ${p}`);
    if (problems.length) failed = true;
  }
  process.exit(failed ? 1 : 0);
}
