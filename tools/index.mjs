// The test doubles and harnesses that other projects' tests import as `@voip/tools`.
import { fileURLToPath } from 'node:url';

export { RECV_SIZE, parseClassicServerArgs, startClassicDirectoryServer } from './classic-server/classic-directory-server.mjs';
export { NetnsError, NetnsLab, UDP_PROBE_BIN, hostAddresses, sweepOrphanNamespaces } from './netns/netns-lab.mjs';
export { CaptureError } from './netns/capture.mjs';
export { NftRuleError } from './netns/nft-rules.mjs';
export { PcapFormatError, readUdpDatagrams } from './netns/pcap-reader.mjs';
export { NetnsToolMissingError, requireTool } from './netns/require-tool.mjs';

/** Path of the classic directory server double's program, for `node <path> --host H --port P`. */
export const CLASSIC_SERVER_BIN = fileURLToPath(new URL('./classic-server/classic-directory-server.mjs', import.meta.url));
