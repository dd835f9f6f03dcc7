/**
 * The graph webview's data, built on the host: structure (`buildGraphView`), per-node and per-tensor details on
 * request, search, and a node-level diff of two models.
 *
 *   const view = await loadGraphView(model, 'main');          // reads small shape constants, then builds
 *   const view2 = buildGraphView(model, 'main/loop_1:body');  // synchronous (pass `constants` to fold through lazy initializers)
 *   const detail = nodeDetail(model, view.path, 12);
 *   const w = await tensorDetail(model, view.path, 'conv1.weight', { maxElements: 8_000_000 });
 *   const hits = graphSearch(view, '1,3,224,224');
 *   const diff = graphDiff(modelA, modelB);
 */
export { buildGraphView, buildGraphViewOfProto, type GraphViewOptions } from './build';
export { loadGraphView, loadShapeConstants } from './load';
export { nodeDetail, nodeDetailOfProto, formatAttribute, attributeTensorRef, parseTensorRef } from './node-detail';
export { tensorDetail, TensorNotFoundError, HISTOGRAM_BINS, PREVIEW_VALUES, type TensorDetailOptions } from './tensor-detail';
export { graphSearch, parseShapeQuery, type GraphSearchResult } from './search';
export { graphDiff, graphDiffOfProtos, type GraphDiff } from './diff';
export { opCategory } from './categories';
export { buildHierarchy, MAX_GROUP_CHILDREN } from './hierarchy';
export { GraphPathError, resolveGraph, functionPath } from './resolve';
export { formatFloat32 } from './format';
