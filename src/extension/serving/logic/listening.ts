/**
 * The line `ptp serve --json` prints once it listens (src/cli/commands/serve.ts):
 * `{"listening": true, "http": "http://127.0.0.1:PORT", "grpc": "127.0.0.1:PORT" | null, "models": [VersionStatus…]}`.
 * No vscode.
 */
import type { ServedVersion } from '../../../protocol/serving-panel';

export interface ListeningLine {
  readonly http: string;
  readonly grpc: string | null;
  readonly versions: readonly ServedVersion[];
}

/** The listening line's content, or undefined when `line` is not it (other output, a partial line). */
export function parseListeningLine(line: string): ListeningLine | undefined {
  const text = line.trim();
  if (!text.startsWith('{')) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const o = doc as { listening?: unknown; http?: unknown; grpc?: unknown; models?: unknown };
  if (o === null || typeof o !== 'object' || o.listening !== true || typeof o.http !== 'string' || !/^https?:\/\//.test(o.http)) return undefined;
  const versions = Array.isArray(o.models)
    ? o.models.flatMap((m): ServedVersion[] => {
        const v = m as Record<string, unknown>;
        if (typeof v?.model !== 'string' || typeof v.version !== 'string') return [];
        return [{ model: v.model, version: v.version, state: typeof v.state === 'string' ? v.state : 'unknown', ...(typeof v.reason === 'string' ? { reason: v.reason } : {}), source: typeof v.source === 'string' ? v.source : '' }];
      })
    : [];
  return { http: o.http.replace(/\/+$/, ''), grpc: typeof o.grpc === 'string' ? o.grpc : null, versions };
}

/** Splits a stream into lines: feed chunks, get the complete lines (the rest waits for the next chunk). */
export class LineSplitter {
  private rest = '';
  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split(/\r?\n/);
    this.rest = lines.pop() ?? '';
    return lines;
  }
}

/** The last `max` lines of a stream (for the error shown when the server ends on its own). */
export class TailLines {
  private readonly lines: string[] = [];
  constructor(private readonly max = 20) {}
  push(line: string): void {
    if (!line.trim()) return;
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  text(last = this.max): string {
    return this.lines.slice(-last).join('\n');
  }
}
