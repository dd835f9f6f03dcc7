/**
 * The graph view the host sends to the graph webview. The types are declared by their builder in the core
 * (src/core/graph-view/graph-types.ts; the core imports nothing above it) and re-exported here, so webview
 * code imports the protocol, never the core.
 */
export type * from '../core/graph-view/graph-types';
