/**
 * The one running `ptp serve` of this window: its child process (owned, stopped on dispose), a V2 client of it, the
 * status bar item (`$(radio-tower) 127.0.0.1:PORT · N req/s`, click → Serving panel) and the stats poll, once a
 * second and only while serving. Listeners get each poll and each start/stop.
 */
import * as vscode from 'vscode';
import { V2Client } from '../../pipeline/serve/client';
import type { ServerInfo, ServingStats } from '../../protocol/serving-panel';
import { RateMeter, statusText, totalRequests } from './logic/serving-stats';
import { SERVING_COMMANDS } from './logic/serving-ids';
import { ServerProcess } from './server-process';

const POLL_MS = 1000;

export interface StartSpec {
  readonly label: string;
  /** What follows `serve`. */
  readonly args: readonly string[];
  readonly cwd?: string;
  /** The request log the args name (`--log`), for Monitor Model…. */
  readonly requestLog?: string;
}

export class ServingSession implements vscode.Disposable {
  private process: ServerProcess | undefined;
  private info: ServerInfo | null = null;
  private client: V2Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private polling = false;
  private readonly rate = new RateMeter();
  private lastStats: ServingStats | null = null;
  private log_: string | null = null;
  private readonly item = vscode.window.createStatusBarItem('ptp.serving', vscode.StatusBarAlignment.Left, 50);
  private readonly changed = new vscode.EventEmitter<ServerInfo | null>();
  private readonly polled = new vscode.EventEmitter<ServingStats>();
  readonly onDidChangeServer = this.changed.event;
  readonly onDidPoll = this.polled.event;

  constructor(
    private readonly cli: string,
    private readonly output: vscode.OutputChannel,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.item.name = 'ptp serve';
    this.item.command = SERVING_COMMANDS.showServingPanel;
  }

  get server(): ServerInfo | null {
    return this.info;
  }

  /** The running server's request log (null when nothing is served or it does not log). */
  get requestLog(): string | null {
    return this.info ? this.log_ : null;
  }

  get stats(): ServingStats | null {
    return this.lastStats;
  }

  /** The client of the running server (throws when nothing is served). */
  get v2(): V2Client {
    if (!this.client) throw new Error('Nothing is being served: run Serve Model first.');
    return this.client;
  }

  /** Starts serving `spec` (stopping what was served before); resolves once the server listens. */
  async start(spec: StartSpec): Promise<ServerInfo> {
    await this.stop();
    const proc = new ServerProcess({
      cli: this.cli,
      args: spec.args,
      ...(spec.cwd ? { cwd: spec.cwd } : {}),
      label: spec.label,
      log: (line) => this.output.appendLine(line),
      onUnexpectedExit: (error) => {
        if (this.process !== proc) return;
        this.log.error(error.message);
        void vscode.window.showErrorMessage(error.message);
        this.clear();
      },
    });
    this.process = proc;
    const listening = await proc.listening.catch(async (e: unknown) => {
      await proc.stop();
      if (this.process === proc) this.process = undefined;
      throw e;
    });
    const failed = listening.versions.filter((v) => v.state === 'failed');
    if (failed.length === listening.versions.length) {
      await proc.stop();
      this.process = undefined;
      throw new Error(`ptp serve could not load ${spec.label}: ${failed.map((v) => v.reason ?? `version ${v.version} failed`).join('; ')}`);
    }
    this.info = { label: spec.label, url: listening.http, grpc: listening.grpc, pid: proc.pid, versions: listening.versions };
    this.log_ = spec.requestLog ?? null;
    this.client = new V2Client(listening.http, { timeoutMs: 10_000 });
    this.rate.reset();
    this.lastStats = null;
    this.item.text = statusText(listening.http, 0);
    this.item.tooltip = `Serving ${spec.label} at ${listening.http} (gRPC ${listening.grpc ?? 'off'}) — click for the Serving panel`;
    this.item.show();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.log.info(`Serving ${spec.label} at ${listening.http}`);
    this.changed.fire(this.info);
    return this.info;
  }

  /** One stats poll now (also what the timer runs). */
  async poll(): Promise<ServingStats | undefined> {
    const client = this.client;
    if (!client || this.polling) return undefined;
    this.polling = true;
    try {
      const { models } = await client.stats();
      if (client !== this.client) return undefined;
      const now = Date.now();
      const stats: ServingStats = { time: new Date(now).toISOString(), models, requestsPerSecond: this.rate.next(now, totalRequests(models)) };
      this.lastStats = stats;
      this.item.text = statusText(client.base, stats.requestsPerSecond);
      this.polled.fire(stats);
      return stats;
    } catch (e) {
      this.log.warn(`ptp serve stats: ${(e as Error).message}`);
      return undefined;
    } finally {
      this.polling = false;
    }
  }

  /** Stops the server (SIGTERM, drained); resolves once the process is gone. */
  async stop(): Promise<boolean> {
    const proc = this.process;
    if (!proc) return false;
    this.process = undefined;
    this.clear();
    await proc.stop();
    this.log.info('Stopped serving');
    return true;
  }

  private clear(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.client = undefined;
    const had = this.info !== null;
    this.info = null;
    this.lastStats = null;
    this.item.hide();
    if (had) this.changed.fire(null);
  }

  dispose(): void {
    void this.stop();
    this.item.dispose();
    this.changed.dispose();
    this.polled.dispose();
  }
}
