// A complete voip phone in a few lines: register, then either wait for one call and
// accept it, or call someone, talk for a few seconds and hang up.
//
//   node examples/phone-demo.mjs --server 127.0.0.1:10000 --name bob --port 5002
//   node examples/phone-demo.mjs --server 127.0.0.1:10000 --name alice --port 5001 --call bob --seconds 3
//
// Each line printed is a JSON event, so scripts (and our tests) can follow along.
import { parseArgs } from 'node:util';
import { CallFailedError, Phone, PhoneError } from '@voip/session';

const { values } = parseArgs({
  options: {
    server: { type: 'string', default: '127.0.0.1:10000' },
    name: { type: 'string' },
    port: { type: 'string', default: '5001' },
    host: { type: 'string' },
    call: { type: 'string' },
    seconds: { type: 'string', default: '3' },
    input: { type: 'string', default: 'tone:440' },
    output: { type: 'string', default: 'null' },
  },
});

const print = (event, fields = {}) => console.log(JSON.stringify({ event, ...fields }));

if (!values.name) {
  console.error('usage: phone-demo.mjs --name NAME [--server HOST:PORT] [--port UDP] [--call NAME --seconds N]');
  process.exit(64);
}

let phone;
try {
  phone = await Phone.connect({
    server: values.server,
    name: values.name,
    udpPort: Number(values.port),
    ...(values.host ? { udpHost: values.host } : {}),
    audio: { input: values.input, output: values.output },
  });
} catch (error) {
  // PhoneError codes: udp-port-in-use, server-unreachable, name-refused, name-invalid...
  if (error instanceof PhoneError) print('error', { code: error.code, message: error.message });
  process.exit(1);
}
print('registered', { name: phone.name, udpPort: phone.udpPort });

const ended = new Promise((resolve) => phone.on('ended', resolve));

if (values.call) {
  try {
    await phone.call(values.call);
  } catch (error) {
    print('failed', { reason: error instanceof CallFailedError ? error.reason : String(error) });
    await phone.close();
    process.exit(2);
  }
  print('connected', { peer: values.call });
  await new Promise((resolve) => setTimeout(resolve, Number(values.seconds) * 1000));
  phone.hangup();
} else {
  phone.on('incoming', ({ caller }) => {
    print('incoming', { caller });
    phone.accept();
  });
}

// The end of a call carries its duration and its final figures.
const { peer, reason, direction, durationMs, stats } = await ended;
print('ended', { peer, reason, direction, durationMs, packetsReceived: stats?.packetsReceived ?? 0, packetsSent: stats?.packetsSent ?? 0 });
await phone.close();
