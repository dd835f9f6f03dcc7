"""An independent client of inference.GRPCInferenceService (the KServe V2 / Open Inference Protocol gRPC API).

It uses only grpcio and message classes that protoc generates from the .proto given on the command line, so the
test that runs it checks the wire contract of `ptp serve` from outside our TypeScript code (field numbers,
types, the service and method names).

    python3 v2_grpc_client.py PROTO_DIR GEN_DIR HOST:PORT MODEL ROWS_JSON

ROWS_JSON is a JSON list of float rows for the model's first input (FP32). Prints one JSON object.
"""
import json
import struct
import subprocess
import sys


def main() -> None:
    proto_dir, gen_dir, target, model, rows_json = sys.argv[1:6]
    subprocess.run(["protoc", f"-I{proto_dir}", f"--python_out={gen_dir}", "grpc_predict_v2.proto"], check=True)
    sys.path.insert(0, gen_dir)
    import grpc  # noqa: E402
    import grpc_predict_v2_pb2 as pb  # noqa: E402

    channel = grpc.insecure_channel(target)
    grpc.channel_ready_future(channel).result(timeout=10)

    def call(method, request, response):
        stub = channel.unary_unary(
            f"/inference.GRPCInferenceService/{method}",
            request_serializer=request.SerializeToString,
            response_deserializer=response.FromString,
        )
        return stub(request, timeout=10)

    out = {}
    out["live"] = call("ServerLive", pb.ServerLiveRequest(), pb.ServerLiveResponse).live
    out["ready"] = call("ServerReady", pb.ServerReadyRequest(), pb.ServerReadyResponse).ready
    out["model_ready"] = call("ModelReady", pb.ModelReadyRequest(name=model), pb.ModelReadyResponse).ready
    sm = call("ServerMetadata", pb.ServerMetadataRequest(), pb.ServerMetadataResponse)
    out["server"] = {"name": sm.name, "version": sm.version, "extensions": list(sm.extensions)}
    mm = call("ModelMetadata", pb.ModelMetadataRequest(name=model), pb.ModelMetadataResponse)
    out["metadata"] = {
        "name": mm.name,
        "versions": list(mm.versions),
        "platform": mm.platform,
        "inputs": [{"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in mm.inputs],
        "outputs": [{"name": t.name, "datatype": t.datatype, "shape": list(t.shape)} for t in mm.outputs],
    }
    rows = json.loads(rows_json)
    flat = [float(v) for r in rows for v in r]
    first = mm.inputs[0]
    shape = [len(rows)] + [int(d) for d in first.shape[1:]]
    req = pb.ModelInferRequest(model_name=model, id="py-1")
    t = req.inputs.add()
    t.name, t.datatype = first.name, "FP32"
    t.shape.extend(shape)
    req.raw_input_contents.append(struct.pack(f"<{len(flat)}f", *flat))
    res = call("ModelInfer", req, pb.ModelInferResponse)
    outputs = []
    for i, o in enumerate(res.outputs):
        raw = res.raw_output_contents[i]
        fmt = {"FP32": "f", "FP64": "d", "INT64": "q", "INT32": "i"}[o.datatype]
        outputs.append({"name": o.name, "datatype": o.datatype, "shape": list(o.shape), "data": list(struct.unpack(f"<{len(raw) // struct.calcsize(fmt)}{fmt}", raw))})
    out["infer"] = {"model_name": res.model_name, "model_version": res.model_version, "id": res.id, "outputs": outputs}
    # Typed contents instead of raw bytes.
    req2 = pb.ModelInferRequest(model_name=model)
    t2 = req2.inputs.add()
    t2.name, t2.datatype = first.name, "FP32"
    t2.shape.extend(shape)
    t2.contents.fp32_contents.extend(flat)
    res2 = call("ModelInfer", req2, pb.ModelInferResponse)
    out["infer_contents_bytes"] = [len(b) for b in res2.raw_output_contents]
    # An unknown model is NOT_FOUND with a message.
    try:
        call("ModelMetadata", pb.ModelMetadataRequest(name="no-such-model"), pb.ModelMetadataResponse)
        out["unknown"] = None
    except grpc.RpcError as e:
        out["unknown"] = {"code": e.code().name, "details": e.details()}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
