/**
 * The workspace model registry (issue "Package & version"): `Registry.at(dir)` reads and writes a registry folder;
 * `parseRef` / `isRegistryRef` read `NAME@VERSION` / `NAME@ALIAS`. Records: types.ts.
 */
export { RegistryError, type RegistryErrorCode } from './errors';
export { checkName, formatRef, isRegistryRef, parseRef } from './refs';
export { actor, DEFAULT_REGISTRY_DIR, Registry, registryVersionOf, scalarMetrics, type AddOptions, type AddResult, type LineageLink, type Resolved } from './store';
export * from './types';
