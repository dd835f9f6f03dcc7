/** Command-line options of the benchmarks: `--flag value` pairs and the usage message on a bad one. */

/**
 * Calls `take(flag, value)` for each argument in turn; `value()` consumes the argument after the flag and throws
 * `<flag> needs a value` when there is none. `take` throws on flags it does not know.
 */
export function eachFlag(args: readonly string[], take: (flag: string, value: () => string) => void): void {
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    take(flag, () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    });
  }
}

/** `parse(args)`, or `undefined` after printing `bench <name>: <problem>` and the usage to stderr. */
export function parseOrUsage<T>(name: string, usage: string, args: readonly string[], parse: (args: readonly string[]) => T): T | undefined {
  try {
    return parse(args);
  } catch (e) {
    console.error(`bench ${name}: ${(e as Error).message}\n${usage}`);
    return undefined;
  }
}
