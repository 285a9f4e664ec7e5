// The release set-up: every library publishes (dry run, offline) with its license, and `nx release` versions the workspace from conventional commits.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const LIBS = ['clock', 'protocol', 'registry', 'media', 'session'];
const APPS = ['client', 'server'];
/** Nothing listens here: a dry run that tried to reach a registry would fail instead of passing by luck. */
const OFFLINE = { npm_config_registry: 'http://127.0.0.1:9/', npm_config_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false' };

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...OFFLINE, ...env } });
}

function manifest(dir: string): { name: string; version: string; license?: string; private?: boolean; dependencies?: Record<string, string> } {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
}

/** Runs Nx in `cwd` as a plain command, not as a task of the Nx run that started these tests. */
function nx(args: string[], cwd: string): string {
  const env: Record<string, string> = { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', FORCE_COLOR: '0', NO_COLOR: '1' };
  const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NX_TASK') && key !== 'NX_CLI_SET' && key !== 'NX_LOAD_DOT_ENV_FILES'));
  return execFileSync(join(root, 'node_modules', '.bin', 'nx'), args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...clean, ...OFFLINE, ...env },
  });
}

describe('npm publish --dry-run', () => {
  test.each(LIBS)('@voip/%s publishes its build, README and LICENSE, and nothing else', (lib) => {
    const dir = join(root, 'packages', lib);
    const pkg = manifest(dir);
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8'), `packages/${lib}/LICENSE is the workspace's LICENSE`).toBe(readFileSync(join(root, 'LICENSE'), 'utf8'));
    const out = JSON.parse(run('npm', ['publish', '--dry-run', '--json', '--access', 'public'], dir)) as Record<
      string,
      { name: string; version: string; files: { path: string }[] }
    >;
    const info = out[pkg.name]!;
    expect(info).toMatchObject({ name: pkg.name, version: pkg.version });
    const paths = info.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
    expect(paths.filter((p) => !p.startsWith('dist/') && !['LICENSE', 'README.md', 'package.json'].includes(p))).toEqual([]);
    expect(paths.filter((p) => p.includes('.test.'))).toEqual([]);
  });

  test('the apps are private and never published', () => {
    for (const app of APPS) expect(manifest(join(root, 'apps', app)).private, app).toBe(true);
  });
});

describe('nx release', () => {
  test('publishes the five libraries and skips the private apps (dry run, offline)', () => {
    const out = nx(['release', 'publish', '--dry-run', '--output-style=static'], root);
    expect(out.match(/Would publish to http:\/\/127\.0\.0\.1:9\//g)?.length, out).toBe(LIBS.length);
    for (const lib of LIBS) expect(out).toContain(`@voip/${lib}@`);
    for (const app of APPS) expect(out).not.toContain(`@voip/${app}@`);
  });

  test('a fix commit to one library moves every project to the next patch version, dependency ranges and changelog included', () => {
    const clone = mkdtempSync(join(tmpdir(), 'voip-release-'));
    made.push(clone);
    const git = (...args: string[]) => run('git', ['-c', 'user.name=voip', '-c', 'user.email=voip@localhost', ...args], clone);
    run('git', ['clone', '--quiet', '--no-hardlinks', root, clone], tmpdir());
    const status = run('git', ['status', '--porcelain', '--untracked-files=no'], root);
    if (status.trim() !== '') {
      // Test what is in the work tree, committed or not: the clone gets the same tracked files.
      const diff = run('git', ['diff', 'HEAD', '--binary'], root);
      writeFileSync(join(clone, 'work.patch'), diff);
      git('apply', 'work.patch');
      rmSync(join(clone, 'work.patch'));
      git('commit', '--quiet', '--all', '--message', 'chore: work tree');
    }
    symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'));
    const before = manifest(join(clone, 'packages', 'protocol')).version;
    const [major, minor, patch] = before.split('.').map(Number) as [number, number, number];
    const next = `${major}.${minor}.${patch + 1}`;
    writeFileSync(join(clone, 'packages', 'protocol', 'NOTE.txt'), 'a change\n');
    git('add', '.');
    git('commit', '--quiet', '--message', 'fix(protocol): a change users can see');

    nx(['release', 'version', '--git-commit=false', '--git-tag=false', '--stage-changes=false'], clone);
    nx(['release', 'changelog', next, '--git-commit=false', '--git-tag=false', '--stage-changes=false', '--first-release'], clone);

    for (const dir of [...LIBS.map((l) => `packages/${l}`), ...APPS.map((a) => `apps/${a}`)]) {
      const pkg = manifest(join(clone, dir));
      expect(pkg.version, dir).toBe(next);
      for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) if (dep.startsWith('@voip/')) expect(range, `${dir} -> ${dep}`).toBe(`^${next}`);
    }
    const changelog = readFileSync(join(clone, 'CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${next}`);
    expect(changelog).toContain('### 🩹 Fixes');
    expect(changelog).toContain('- **protocol:** a change users can see');
  });
});
