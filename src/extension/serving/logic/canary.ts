/**
 * Serving a registry model from the Models view: one version as it is, or two as a canary — the champion (the
 * alias, else the previous version) and the challenger (the alias, else the newest), 90/10 — written as a
 * `ptp serve --config` document (src/pipeline/serve/config.ts keys). No vscode.
 */

export interface RegistryVersionFile {
  readonly version: number;
  /** The stored model file (absolute). */
  readonly file: string;
}

export interface CanaryPlan {
  readonly name: string;
  /** Served versions, the champion first. */
  readonly versions: readonly RegistryVersionFile[];
  /** version → weight; empty for one version. */
  readonly split: Readonly<Record<string, number>>;
}

export const CANARY_SHARE = 10;

/** Which versions to serve: `aliases` alias → version, `versions` any order. */
export function canaryPlan(name: string, versions: readonly RegistryVersionFile[], aliases: Readonly<Record<string, number>>): CanaryPlan {
  if (!versions.length) throw new Error(`${name} has no versions in the registry.`);
  const sorted = [...versions].sort((a, b) => b.version - a.version);
  if (sorted.length === 1) return { name, versions: sorted, split: {} };
  const find = (v: number | undefined) => sorted.find((x) => x.version === v);
  const challenger = find(aliases.challenger) ?? sorted[0]!;
  let champion = find(aliases.champion);
  if (!champion || champion === challenger) champion = sorted.find((x) => x !== challenger)!;
  return { name, versions: [champion, challenger], split: { [champion.version]: 100 - CANARY_SHARE, [challenger.version]: CANARY_SHARE } };
}

/** The serve.yaml document (JSON is YAML) for `plan`, with ports picked by the system. */
export function canaryConfig(plan: CanaryPlan): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    http_port: 0,
    grpc_port: 0,
    models: [
      {
        name: plan.name,
        versions: plan.versions.map((v) => ({ version: String(v.version), model: v.file })),
        ...(Object.keys(plan.split).length ? { routing: { split: plan.split } } : {}),
      },
    ],
  };
}
