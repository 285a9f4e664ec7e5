// Each library must work when published on its own: pack it with `npm pack`, install
// the tarballs into an empty folder outside the workspace, then import them there, in
// JavaScript and in TypeScript.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const LIBS = ['clock', 'protocol', 'registry', 'media', 'session'];
let work = '';
let app = '';

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'voip-pack-'));
  const tarballs: string[] = [];
  for (const lib of LIBS) {
    const out = run('npm', ['pack', '--json', '--pack-destination', work], join(root, 'packages', lib));
    const [info] = JSON.parse(out) as [{ filename: string; files: { path: string }[] }];
    expect(
      info.files.some((f) => f.path === 'dist/index.js'),
      `${lib} ships dist/index.js`,
    ).toBe(true);
    expect(
      info.files.some((f) => f.path === 'dist/index.d.ts'),
      `${lib} ships its types`,
    ).toBe(true);
    expect(
      info.files.some((f) => f.path.startsWith('src/') || f.path.includes('.test.')),
      `${lib} ships no sources or tests`,
    ).toBe(false);
    tarballs.push(join(work, info.filename));
  }
  app = join(work, 'app');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
  // Native builds are skipped here: better-sqlite3 would compile from source a second
  // time (about 80 s). The workspace's own build of the same version is copied in.
  run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '@types/node@^20', ...tarballs], app);
  const wsSqlite = join(root, 'node_modules', 'better-sqlite3');
  const appSqlite = join(app, 'node_modules', 'better-sqlite3');
  const version = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  expect(version(appSqlite)).toBe(version(wsSqlite));
  mkdirSync(join(appSqlite, 'build', 'Release'), { recursive: true });
  copyFileSync(join(wsSqlite, 'build', 'Release', 'better_sqlite3.node'), join(appSqlite, 'build', 'Release', 'better_sqlite3.node'));
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

test("the installed tarballs resolve to the consumer's node_modules, not the workspace", () => {
  for (const lib of LIBS) expect(existsSync(join(app, 'node_modules', '@voip', lib, 'dist', 'index.js'))).toBe(true);
  expect(existsSync(join(app, 'node_modules', '@voip', 'server'))).toBe(false);
});

test('the libraries import and work from JavaScript', () => {
  const script = `
    import { encodeDirectoryMessage, createJsonDeframer, validateName } from '@voip/protocol';
    import { createMemoryRegistry, openSqliteRegistry } from '@voip/registry';
    import { openAudioSource } from '@voip/media';
    import { Phone, PhoneError } from '@voip/session';
    import { createManualClock } from '@voip/clock';
    const frames = createJsonDeframer().push(new TextEncoder().encode(encodeDirectoryMessage({ command: 'LIST' })));
    const memory = createMemoryRegistry();
    await memory.register({ name: 'alice', ip: '127.0.0.1', port: 5001, owner: 'c1' });
    const sqlite = await openSqliteRegistry({ database: ':memory:' });
    await sqlite.register({ name: 'bob', ip: '127.0.0.1', port: 5002, owner: 'c2' });
    const tone = await openAudioSource('tone:440');
    const frame = tone.readFrame();
    console.log(JSON.stringify({
      frame: frames[0], name: validateName('alice').ok, memory: (await memory.lookup('ALICE'))?.name,
      sqlite: (await sqlite.lookup('BOB'))?.port, samples: frame.length, phone: typeof Phone.connect, error: new PhoneError('busy', 'x').code, clock: (() => { const c = createManualClock(); let fired = 0; c.setTimeout(() => fired++, 10); c.advance(10); return fired; })(),
    }));
    await sqlite.close(); await tone.close();
  `;
  writeFileSync(join(app, 'check.mjs'), script);
  const out = JSON.parse(run(process.execPath, ['check.mjs'], app));
  expect(out).toEqual({ frame: { ok: true, value: { command: 'LIST' } }, name: true, memory: 'alice', sqlite: 5002, samples: 512, phone: 'function', error: 'busy', clock: 1 });
});

test('the libraries type-check from TypeScript', () => {
  writeFileSync(
    join(app, 'check.ts'),
    `
    import { decodeClassicSignal, type DirectoryUser } from '@voip/protocol';
    import type { Registry } from '@voip/registry';
    import type { AudioSource } from '@voip/media';
    import { Phone, type PhoneOptions } from '@voip/session';
    const user: DirectoryUser = { name: 'a', ip: '127.0.0.1', port: 5001 };
    const options: PhoneOptions = { server: '127.0.0.1:10000', name: user.name };
    export const uses: [unknown, Registry | null, AudioSource | null, typeof Phone, PhoneOptions] = [decodeClassicSignal(new Uint8Array([0x41])), null, null, Phone, options];
  `,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
      files: ['check.ts'],
    }),
  );
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  expect(() => run(process.execPath, [tsc, '-p', 'tsconfig.json'], app)).not.toThrow();
});
