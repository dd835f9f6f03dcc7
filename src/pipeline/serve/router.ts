/**
 * Which version answers a request that names none: a weighted split (canary 95/5, A/B 50/50) spread evenly by
 * smooth weighted round-robin (every window of requests matches the weights, not only on average), or — when the
 * request carries the sticky header — a hash of its value, so one caller always lands on one version. A shadow
 * version gets a copy of each request; its answers are logged, never returned.
 */
import { createHash } from 'node:crypto';
import { ServeError } from './errors';

export interface Routing {
  /** Version → weight (any positive numbers; normalised). Empty: the newest ready version takes everything. */
  readonly split: Readonly<Record<string, number>>;
  readonly stickyHeader: string | null;
  readonly shadow: string | null;
}

export const NO_ROUTING: Routing = { split: {}, stickyHeader: null, shadow: null };

export function checkRouting(r: Routing, versions: readonly string[], where: string): Routing {
  for (const [v, w] of Object.entries(r.split)) {
    if (!versions.includes(v)) throw new ServeError('bad-config', `${where}: the split names version "${v}", which is not served (versions: ${versions.join(', ')})`);
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new ServeError('bad-config', `${where}: the weight of version "${v}" must be a number ≥ 0, got ${JSON.stringify(w)}`);
  }
  if (Object.keys(r.split).length && !Object.values(r.split).some((w) => w > 0)) throw new ServeError('bad-config', `${where}: every weight of the split is 0`);
  if (r.shadow !== null && !versions.includes(r.shadow)) throw new ServeError('bad-config', `${where}: the shadow version "${r.shadow}" is not served (versions: ${versions.join(', ')})`);
  if (r.stickyHeader !== null && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(r.stickyHeader)) throw new ServeError('bad-config', `${where}: "${r.stickyHeader}" is not a valid header name`);
  return { ...r, stickyHeader: r.stickyHeader?.toLowerCase() ?? null };
}

/** A stable position in [0, 1) for a sticky key. */
export function stickyPoint(key: string): number {
  const h = createHash('sha256').update(key).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}

export class Router {
  private current: Record<string, number> = {};

  constructor(private routing: Routing) {}

  get config(): Routing {
    return this.routing;
  }

  set(routing: Routing): void {
    this.routing = routing;
    this.current = {};
  }

  /**
   * The version for one request among `ready` ones (in newest-first order when no split is set). Versions of the
   * split that are not ready are skipped; their share goes to the others.
   */
  pick(ready: readonly string[], stickyKey: string | undefined): string {
    if (!ready.length) throw new ServeError('unavailable', 'no version of this model is ready');
    const entries = Object.entries(this.routing.split).filter(([v, w]) => w > 0 && ready.includes(v));
    if (!entries.length) return ready[0]!;
    if (stickyKey !== undefined) {
      const total = entries.reduce((a, [, w]) => a + w, 0);
      let x = stickyPoint(stickyKey) * total;
      for (const [v, w] of entries) {
        if (x < w) return v;
        x -= w;
      }
      return entries.at(-1)![0];
    }
    // Smooth weighted round-robin (nginx): each pick adds every weight to its counter, takes the largest, and
    // subtracts the total from the winner.
    const total = entries.reduce((a, [, w]) => a + w, 0);
    let best: string | undefined;
    for (const [v, w] of entries) {
      this.current[v] = (this.current[v] ?? 0) + w;
      if (best === undefined || this.current[v]! > this.current[best]!) best = v;
    }
    this.current[best!]! -= total;
    return best!;
  }
}
