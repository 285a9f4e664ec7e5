/** Outcome of decoding untrusted input: a value, or a stable error code with a human detail. */
export type Result<T, C extends string = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: C; readonly detail: string };

/** Builds a successful result. */
export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

/** Builds a failed result. */
export function fail<C extends string>(code: C, detail: string): { readonly ok: false; readonly code: C; readonly detail: string } {
  return { ok: false, code, detail };
}
