/**
 * One `ptp serve` child process: `node <extension>/dist/cli.js serve … --http-port 0 --grpc-port 0 --json`
 * (in the extension host, process.execPath with ELECTRON_RUN_AS_NODE=1, like the worker). Resolves once the
 * listening line arrives; stderr goes to the log line by line (its tail names what went wrong when the server
 * ends on its own); `stop()` sends SIGTERM, which drains the requests in flight, and waits for the exit (SIGKILL
 * after a grace period). No vscode import.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { LineSplitter, parseListeningLine, TailLines, type ListeningLine } from './logic/listening';

export interface ServerProcessOptions {
  /** `<extension>/dist/cli.js`. */
  readonly cli: string;
  /** What follows `serve`: a model file, or `--config serve.yaml`, and `--name …`. */
  readonly args: readonly string[];
  readonly cwd?: string;
  /** Names the model in messages, e.g. `digits_mlp.onnx`. */
  readonly label: string;
  readonly log: (line: string) => void;
  /** Told when the server ended on its own after it started listening (not after stop()). */
  readonly onUnexpectedExit: (error: Error) => void;
  /** How long to wait for the listening line. Default 2 minutes. */
  readonly startTimeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** Node options of the child (tests pass `--require tsx/cjs` to run src/cli/main.ts). */
  readonly execArgv?: readonly string[];
}

const STOP_GRACE_MS = 10_000;

export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly tail = new TailLines(20);
  private stopping = false;
  private exited = false;
  private readonly exit: Promise<void>;
  /** Resolves with the listening line; rejects when the process ends or times out first. */
  readonly listening: Promise<ListeningLine>;

  constructor(options: ServerProcessOptions) {
    const args = [...(options.execArgv ?? []), options.cli, 'serve', ...options.args, '--http-port', '0', '--grpc-port', '0', '--json'];
    this.child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env ?? { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    options.log(`started ptp serve (pid ${this.child.pid ?? '?'}) for ${options.label}: ${args.slice(args.indexOf(options.cli) + 1).join(' ')}`);
    let ready = false;
    this.exit = new Promise((resolve) => this.child.once('close', () => resolve()));

    const err = new LineSplitter();
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of err.push(chunk)) {
        this.tail.push(line);
        options.log(line);
      }
    });

    this.listening = new Promise<ListeningLine>((resolve, reject) => {
      // The listening document is pretty-printed JSON over several lines: kept until it parses whole.
      let pending = '';
      const timer = setTimeout(() => {
        reject(new Error(`ptp serve did not start serving ${options.label} within ${Math.round((options.startTimeoutMs ?? 120_000) / 1000)} s.${this.tailText()}`));
        this.kill();
      }, options.startTimeoutMs ?? 120_000);
      this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        if (ready) return;
        pending += chunk;
        const start = pending.indexOf('{');
        const parsed = start >= 0 ? parseListeningLine(pending.slice(start)) : undefined;
        if (parsed) {
          ready = true;
          pending = '';
          clearTimeout(timer);
          resolve(parsed);
        }
      });
      this.child.once('error', (e) => {
        clearTimeout(timer);
        reject(new Error(`Could not start ptp serve for ${options.label}: ${e.message}`));
      });
      this.child.once('close', (code, signal) => {
        this.exited = true;
        clearTimeout(timer);
        const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
        options.log(`ptp serve (pid ${this.child.pid ?? '?'}) ${how}`);
        if (!ready) reject(new Error(`ptp serve ${how} before serving ${options.label}.${this.tailText()}`));
        else if (!this.stopping) options.onUnexpectedExit(new Error(`The server of ${options.label} stopped: ptp serve ${how}.${this.tailText()}`));
      });
    });
    // A rejection is handled by whoever awaits `listening`; never an unhandled one here.
    this.listening.catch(() => undefined);
  }

  get pid(): number | null {
    return this.child.pid ?? null;
  }

  get running(): boolean {
    return !this.exited;
  }

  /** SIGTERM (the server drains), SIGKILL after a grace period; resolves once the process is gone. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.kill(), STOP_GRACE_MS);
    await this.exit;
    clearTimeout(timer);
  }

  private kill(): void {
    this.stopping = true;
    if (!this.exited) this.child.kill('SIGKILL');
  }

  private tailText(): string {
    const t = this.tail.text(8);
    return t ? `\n${t}` : '';
  }
}
