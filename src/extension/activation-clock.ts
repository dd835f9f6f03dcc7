/** Imported first by extension.ts, so this is the first line of the bundle that runs. */
export const moduleLoadStart = performance.now();
