// Types of `@voip/tools`: the test doubles and harnesses other projects' tests import.
export * from './classic-server/classic-directory-server.mjs';
export * from './netns/netns-lab.mjs';
export * from './netns/capture.mjs';
export * from './netns/nft-rules.mjs';
export * from './netns/pcap-reader.mjs';
export * from './netns/require-tool.mjs';

/** Path of the classic directory server double's program, for `node <path> --host H --port P`. */
export declare const CLASSIC_SERVER_BIN: string;
