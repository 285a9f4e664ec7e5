// Types of call-report.mjs.

/** Markdown lines of the calls section for the part's results (any of its parts). */
export declare function renderCallSection(calls: Record<string, unknown>): string[];
