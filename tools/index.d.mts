// Types of `@voip/tools`: the test doubles and harnesses other projects' tests import.
export * from './classic-server/classic-directory-server.mjs';
export * from './netns/netns-lab.mjs';

/** Path of the classic directory server double's program, for `node <path> --host H --port P`. */
export declare const CLASSIC_SERVER_BIN: string;
