// A pure reader of pcap and pcapng captures that yields each UDP datagram's source, destination and payload.
//
// Link types read: NULL (0), EN10MB (1), RAW (101), LINUX_SLL (113), IPV4 (228), IPV6 (229),
// LINUX_SLL2 (276, what `tcpdump -i any` writes). IPv4 fragments other than the first,
// IPv6 extension headers and non-UDP packets are skipped.

/** The bytes are not a capture this reader understands; `detail` says where. */
export class PcapFormatError extends Error {
  name = 'PcapFormatError';
  code = 'bad-capture';
  constructor(detail) {
    super(`not a readable pcap/pcapng capture: ${detail}`);
    this.detail = detail;
  }
}

const SLL_OUTGOING = 4;

/** Where the IP packet starts in a frame of `linkType`, and whether it was sent by the capturing host; null if it is not IP. */
function ipStart(linkType, frame, view, little) {
  switch (linkType) {
    case 0: // NULL: a 4-byte address family in the capturing host's byte order
      return { offset: 4, outgoing: null };
    case 1: {
      let at = 12;
      while (frame.length >= at + 2 && (view.getUint16(at) === 0x8100 || view.getUint16(at) === 0x88a8)) at += 4;
      return frame.length >= at + 2 && [0x0800, 0x86dd].includes(view.getUint16(at)) ? { offset: at + 2, outgoing: null } : null;
    }
    case 101:
    case 228:
    case 229:
      return { offset: 0, outgoing: null };
    case 113:
      return frame.length >= 16 && [0x0800, 0x86dd].includes(view.getUint16(14)) ? { offset: 16, outgoing: view.getUint16(0) === SLL_OUTGOING } : null;
    case 276:
      return frame.length >= 20 && [0x0800, 0x86dd].includes(view.getUint16(0)) ? { offset: 20, outgoing: frame[10] === SLL_OUTGOING } : null;
    default:
      void little;
      throw new PcapFormatError(`link type ${linkType} is not supported`);
  }
}

function ipv6Text(bytes) {
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** The UDP datagram in one captured frame, or null. */
function udpOf(linkType, frame, timeMs, little) {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const start = ipStart(linkType, frame, view, little);
  if (!start || frame.length < start.offset + 1) return null;
  const ip = frame.subarray(start.offset);
  const ipView = new DataView(ip.buffer, ip.byteOffset, ip.byteLength);
  let udpAt;
  let source;
  let destination;
  if (ip[0] >> 4 === 4 && ip.length >= 20) {
    const headerLength = (ip[0] & 15) * 4;
    const fragmentOffset = ipView.getUint16(6) & 0x1fff;
    if (ip[9] !== 17 || fragmentOffset !== 0) return null;
    udpAt = headerLength;
    source = ip.subarray(12, 16).join('.');
    destination = ip.subarray(16, 20).join('.');
  } else if (ip[0] >> 4 === 6 && ip.length >= 40) {
    if (ip[6] !== 17) return null;
    udpAt = 40;
    source = ipv6Text(ip.subarray(8, 24));
    destination = ipv6Text(ip.subarray(24, 40));
  } else {
    return null;
  }
  if (ip.length < udpAt + 8) return null;
  const udpLength = ipView.getUint16(udpAt + 4);
  const payloadEnd = Math.min(ip.length, udpAt + Math.max(8, udpLength));
  return {
    timeMs,
    source: { address: source, port: ipView.getUint16(udpAt) },
    destination: { address: destination, port: ipView.getUint16(udpAt + 2) },
    payload: ip.slice(udpAt + 8, payloadEnd),
    truncated: udpAt + udpLength > ip.length,
    outgoing: start.outgoing,
  };
}

function readPcap(bytes, view) {
  const magic = view.getUint32(0, true);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  if (bytes.length < 24) throw new PcapFormatError('pcap header cut short');
  const linkType = view.getUint32(20, little) & 0x0fffffff;
  const out = [];
  for (let at = 24; at < bytes.length;) {
    if (at + 16 > bytes.length) throw new PcapFormatError(`record header cut short at byte ${at}`);
    const seconds = view.getUint32(at, little);
    const fraction = view.getUint32(at + 4, little);
    const capLength = view.getUint32(at + 8, little);
    if (at + 16 + capLength > bytes.length) throw new PcapFormatError(`record at byte ${at} cut short`);
    const udp = udpOf(linkType, bytes.subarray(at + 16, at + 16 + capLength), seconds * 1000 + fraction / (nano ? 1e6 : 1e3), little);
    if (udp) out.push(udp);
    at += 16 + capLength;
  }
  return out;
}

function readPcapng(bytes, view) {
  let little = true;
  let interfaces = [];
  const out = [];
  for (let at = 0; at < bytes.length;) {
    if (at + 12 > bytes.length) throw new PcapFormatError(`block header cut short at byte ${at}`);
    const type = view.getUint32(at, little);
    if (type === 0x0a0d0d0a) {
      little = view.getUint32(at + 8, true) === 0x1a2b3c4d;
      interfaces = [];
    }
    const length = view.getUint32(at + 4, little);
    if (length < 12 || at + length > bytes.length) throw new PcapFormatError(`block at byte ${at} has a bad length ${length}`);
    if (type === 1) {
      let resolution = 1e-6;
      for (let o = at + 16; o + 4 <= at + length - 4;) {
        const code = view.getUint16(o, little);
        const size = view.getUint16(o + 2, little);
        if (code === 0) break;
        if (code === 9) {
          const v = bytes[o + 4];
          resolution = v & 0x80 ? 2 ** -(v & 0x7f) : 10 ** -v;
        }
        o += 4 + Math.ceil(size / 4) * 4;
      }
      interfaces.push({ linkType: view.getUint16(at + 8, little), resolution });
    } else if (type === 6 || type === 3) {
      const iface = interfaces[type === 6 ? view.getUint32(at + 8, little) : 0];
      if (!iface) throw new PcapFormatError(`packet at byte ${at} names an undescribed interface`);
      const dataAt = type === 6 ? at + 28 : at + 12;
      const capLength = type === 6 ? view.getUint32(at + 20, little) : Math.min(view.getUint32(at + 8, little), length - 16);
      const ticks = type === 6 ? view.getUint32(at + 12, little) * 2 ** 32 + view.getUint32(at + 16, little) : 0;
      const udp = udpOf(iface.linkType, bytes.subarray(dataAt, dataAt + capLength), ticks * iface.resolution * 1000, little);
      if (udp) out.push(udp);
    }
    at += length;
  }
  return out;
}

/**
 * Every UDP datagram of a pcap or pcapng capture, in capture order: `source` and
 * `destination` ({ address, port }), `payload` (a copy), `timeMs` (since the epoch),
 * `truncated` (the snapshot length cut it) and `outgoing` (sent by the capturing host,
 * for the Linux cooked link types; null otherwise).
 */
export function readUdpDatagrams(bytes) {
  const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  if (data.length < 4) throw new PcapFormatError('shorter than a header');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const magic = view.getUint32(0, true);
  if ([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1].includes(magic)) return readPcap(data, view);
  if (magic === 0x0a0d0d0a) return readPcapng(data, view);
  throw new PcapFormatError(`unknown magic number 0x${magic.toString(16)}`);
}
