/** Where a PipelineError's `FILE:LINE:COL: message` points (1-based), for a diagnostic. No vscode. */
export interface ErrorPosition {
  readonly line: number;
  readonly col: number;
  readonly message: string;
}

/** Reads `<shown>:LINE:COL: message` (`shown`: the file name the reader was given); no position: line 1, col 1. */
export function errorPosition(message: string, shown: string): ErrorPosition {
  const rest = message.startsWith(`${shown}:`) ? message.slice(shown.length + 1).replace(/^ /, '') : message;
  const m = /^(\d+):(\d+): ([\s\S]*)$/.exec(rest);
  return m ? { line: Number(m[1]), col: Number(m[2]), message: m[3]! } : { line: 1, col: 1, message: rest };
}
