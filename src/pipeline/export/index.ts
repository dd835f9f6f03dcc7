/** Exports for serving platforms (issue "Package & version"): Triton today; KServe, MLflow and Docker follow. */
export { ExportError, type ExportErrorCode } from './errors';
export { exportTriton, modelNameFor, textString, tritonConfig, type TritonExportResult, type TritonOptions, type TritonTensor } from './triton';
export { exportKServe, exportMlflow, k8sName, type KServeOptions, type MlflowOptions, type ServingExportResult } from './serving';
export { exportDocker, NODE_IMAGE, ptpRuntimeRoot, TRITON_IMAGE, type DockerExportResult, type DockerOptions } from './docker';
