// The network-namespace lab: hosts joined through a forwarding router reach each
// other with their own addresses, and no namespace outlives its lab, whatever happens.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, test } from 'vitest';
import { CLASSIC_SERVER_BIN, hostAddresses, NetnsLab } from '../index.mjs';

const labs: NetnsLab[] = [];
const INDEX = new URL('../index.mjs', import.meta.url).pathname;

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.split(' ')[0]!)
    .filter(Boolean);
}

/** A one-shot TCP client run inside a namespace: sends each request after the previous reply, prints the replies as JSON. */
const TCP_SCRIPT = `
const net = require('node:net');
const [host, port, ...requests] = process.argv.slice(1);
const s = net.connect(Number(port), host);
const replies = [];
s.on('data', (d) => { replies.push(String(d)); next(); });
s.on('connect', next);
function next() { const r = requests.shift(); if (r === undefined) { console.log(JSON.stringify(replies)); s.destroy(); } else s.write(r); }
`;

/** The first line of a child's stdout. */
function firstLine(child: { stdout: NodeJS.ReadableStream }): Promise<string> {
  return new Promise((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
}

afterEach(async () => {
  for (const lab of labs.splice(0)) await lab.dispose();
});

describe('hostAddresses', () => {
  test.each([
    ['10.77.1.0/24', { first: '10.77.1.1', second: '10.77.1.2', prefix: 24 }],
    ['10.77.1.77/24', { first: '10.77.1.1', second: '10.77.1.2', prefix: 24 }],
    ['192.168.9.4/30', { first: '192.168.9.5', second: '192.168.9.6', prefix: 30 }],
  ])('%s', (cidr, expected) => {
    expect(hostAddresses(cidr)).toEqual(expected);
  });

  test.each(['10.0.0.0', '10.0.0.0/31', '10.0.0.0/4', '10.0.300.0/24', 'net/24'])('rejects %s', (cidr) => {
    expect(() => hostAddresses(cidr)).toThrow(TypeError);
  });
});

describe('NetnsLab', () => {
  test('two hosts on their own subnets reach each other through a forwarding router, seen at their own addresses', async () => {
    const lab = await NetnsLab.create();
    labs.push(lab);
    const router = await lab.namespace('router');
    const alice = await lab.namespace('alice');
    const bob = await lab.namespace('bob');
    const toAlice = await lab.link(router, alice, '10.77.1.0/24');
    const toBob = await lab.link(router, bob, '10.77.2.0/24');
    await lab.route(alice, 'default', toAlice.a);
    await lab.route(bob, 'default', toBob.a);
    await lab.forwarding(router);
    expect(toAlice).toEqual({ a: '10.77.1.1', b: '10.77.1.2', aInterface: 'to-alice', bInterface: 'to-router' });

    // A server on alice's host, a client on bob's: the path crosses the router.
    const server = lab.spawn(alice, process.execPath, [CLASSIC_SERVER_BIN, '--host', toAlice.b, '--port', '10000']);
    expect(JSON.parse(await firstLine(server))).toEqual({ event: 'listening', host: '10.77.1.2', port: 10000 });
    const out = await lab.exec(bob, process.execPath, ['-e', TCP_SCRIPT, toAlice.b, '10000', '{"command": "REG", "name": "bob"}', '{"command": "GET", "name": "bob"}']);
    expect(JSON.parse(out)).toEqual(['{"ack": "Registered successfully"}', '{"ip": "10.77.2.2"}']);

    expect(lab.namespaces.map((ns) => ns.role)).toEqual(['router', 'alice', 'bob']);
    const names = lab.namespaces.map((ns) => ns.name);
    await lab.dispose();
    expect(namespaces().filter((n) => names.includes(n))).toEqual([]);
    expect(server.exitCode !== null || server.signalCode !== null).toBe(true);
  });

  test('a failed command rejects with a NetnsError, and disposing still removes everything', async () => {
    const lab = await NetnsLab.create();
    labs.push(lab);
    const host = await lab.namespace('host');
    await expect(lab.route(host, 'default', '10.77.9.1')).rejects.toMatchObject({ name: 'NetnsError', code: 'netns-command-failed' });
    await expect(lab.namespace('host')).rejects.toThrow(TypeError);
    await expect(lab.namespace('Bad_Role')).rejects.toThrow(TypeError);
    await lab.dispose();
    expect(namespaces()).not.toContain(host.name);
  });

  test('a lab its process forgets is removed when that process exits, even with a failure status', () => {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import { NetnsLab } from ${JSON.stringify(INDEX)};
      const lab = await NetnsLab.create();
      await lab.namespace('left');
      console.log(lab.namespaces.map((ns) => ns.name).join(','));
      process.exitCode = 3;
    `,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    expect(run.status).toBe(3);
    const names = run.stdout.trim();
    expect(names).toMatch(/^voiplab-\d+-1-left$/);
    expect(namespaces()).not.toContain(names);
  });

  test('namespaces of a killed process are swept by the next lab', async () => {
    const child = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `
      import { NetnsLab } from ${JSON.stringify(INDEX)};
      const lab = await NetnsLab.create();
      await lab.namespace('orphan');
      console.log(lab.namespaces[0].name);
      setInterval(() => {}, 1000);
    `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const name = await firstLine(child);
    expect(namespaces()).toContain(name);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    expect(namespaces(), 'SIGKILL runs no exit hook').toContain(name);
    labs.push(await NetnsLab.create());
    expect(namespaces()).not.toContain(name);
  });
});
