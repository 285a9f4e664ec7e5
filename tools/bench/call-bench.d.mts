// Types of the calls part of the benchmark (call-bench.mjs and the modules it runs).

/** One target and whether the figures meet it (null when the part was not run). */
export interface JudgedTarget {
  target: string;
  value: string | undefined;
  met: boolean | null;
}

/** The issue's targets judged on whichever parts' figures are given. */
export declare function judgeTargets(results: { setup?: object[]; playout?: object[]; cpu?: object }): JudgedTarget[];
/** The whole part: set-up, playout, CPU; see call-bench.mjs. */
export declare function runCallBench(options?: Record<string, unknown>): Promise<Record<string, unknown>>;
