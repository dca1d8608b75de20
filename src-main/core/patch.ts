/** The fields of `o` that are present (not undefined): what a partial input actually says. */
export const definedFields = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** `before` with every field of `patch` that is present (not undefined) laid over it. */
export function applyPatch<T extends object>(before: T, patch: { [K in keyof T]?: T[K] | undefined }): T {
  return { ...before, ...definedFields(patch) } as T;
}
