/**
 * The server's Prometheus metrics (`GET /metrics`, text format), on a registry of its own:
 * requests by model, version and status code; failures; request, queue and compute durations; batch sizes; queue
 * depth; shadow requests; and the process' CPU and memory (prom-client's default collectors).
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

const LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'ptp_inference_requests_total', help: 'Inference requests answered, by model, version and status code.', labelNames: ['model', 'version', 'status', 'protocol'] as const, registers: [this.registry] });
  readonly failures = new Counter({ name: 'ptp_inference_failures_total', help: 'Inference requests that failed (status other than 200), by model, version and status code.', labelNames: ['model', 'version', 'status', 'protocol'] as const, registers: [this.registry] });
  readonly rows = new Counter({ name: 'ptp_inference_rows_total', help: 'Rows (first-dim elements) inferred, by model and version.', labelNames: ['model', 'version'] as const, registers: [this.registry] });
  readonly shadow = new Counter({ name: 'ptp_shadow_requests_total', help: 'Requests mirrored to a shadow version, by model, version and outcome.', labelNames: ['model', 'version', 'outcome'] as const, registers: [this.registry] });
  readonly requestDuration = new Histogram({ name: 'ptp_request_duration_seconds', help: 'Time from request received to response sent.', labelNames: ['model', 'version'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly queueDuration = new Histogram({ name: 'ptp_queue_duration_seconds', help: 'Time a request waited in the batching queue.', labelNames: ['model', 'version'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly computeDuration = new Histogram({ name: 'ptp_compute_duration_seconds', help: 'onnxruntime time of the batch a request ran in.', labelNames: ['model', 'version'] as const, buckets: LATENCY_BUCKETS, registers: [this.registry] });
  readonly batchSize = new Histogram({ name: 'ptp_batch_size', help: 'Rows per batch run by onnxruntime.', labelNames: ['model', 'version'] as const, buckets: BATCH_BUCKETS, registers: [this.registry] });
  readonly queueDepth = new Gauge({ name: 'ptp_queue_depth', help: 'Requests waiting in the batching queue.', labelNames: ['model', 'version'] as const, registers: [this.registry] });
  readonly ready = new Gauge({ name: 'ptp_model_ready', help: '1 when the model version is loaded and serving.', labelNames: ['model', 'version'] as const, registers: [this.registry] });
  readonly splitWeight = new Gauge({ name: 'ptp_routing_weight', help: 'Routing weight of each version (percent of requests that name no version).', labelNames: ['model', 'version'] as const, registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
