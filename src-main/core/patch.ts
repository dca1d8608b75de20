/** `before` with every field of `patch` that is present (not undefined) laid over it. */
export function applyPatch<T extends object>(before: T, patch: { [K in keyof T]?: T[K] | undefined }): T {
  const defined = Object.entries(patch).filter(([, v]) => v !== undefined);
  return { ...before, ...Object.fromEntries(defined) } as T;
}
