#!/usr/bin/python3
"""Makes the fp32 ISNet export run at any input size, for ONNX Runtime.

The export traced every upsampling with the target size as a constant (Resize to
[32, 32] ... [1024, 1024] at a 1024x1024 input), so the network only runs at 1024.
Each Resize's target size becomes the spatial shape of the tensor it is concatenated
with (for the last one, of the input image): what ISNet's upsample-like does. The
input and output get free height and width, and the weights go to OUT.data beside OUT
(ONNX external data), which ONNX Runtime reads without holding a second copy of the
protobuf: a lower peak RSS while the model loads.
Uses Debian's python3-onnx (1.12). Usage: dynamic_size.py IN.onnx OUT.onnx
"""
import os
import sys

import onnx
from onnx import TensorProto, helper


def int64s(name, values):
    return helper.make_node("Constant", [], [name], value=helper.make_tensor(name, TensorProto.INT64, [len(values)], values))


def main(src, dst):
    model = onnx.load(src)
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    image = graph.input[0].name

    before = {}  # Concat name -> nodes to insert ahead of it
    for node in graph.node:
        if node.op_type != "Resize" or len(node.input) < 4 or not node.input[3]:
            continue
        users = consumers.get(node.output[0], [])
        if len(users) != 1:
            sys.exit(f"{node.name}: expected one consumer")
        user = users[0]
        if user.op_type == "Concat":
            others = [i for i in user.input if i != node.output[0]]
            if len(others) != 1:
                sys.exit(f"{node.name}: expected a two-input Concat after it")
            target = others[0]
        else:
            target = image
        sizes = producer[node.input[3]]
        if sizes.op_type != "Concat" or producer[sizes.input[1]].op_type != "Constant":
            sys.exit(f"{node.name}: sizes are not Concat(batch and channels, constant)")
        base = node.name.strip("/").replace("/", "_") + "_target"
        shape, begin, end, axis, spatial = (base + s for s in ("_shape", "_begin", "_end", "_axis", "_hw"))
        before[sizes.name] = [
            helper.make_node("Shape", [target], [shape], name=base + "/Shape"),
            int64s(begin, [2]), int64s(end, [4]), int64s(axis, [0]),
            helper.make_node("Slice", [shape, begin, end, axis], [spatial], name=base + "/Slice"),
        ]
        sizes.input[1] = spatial

    nodes = []
    for node in graph.node:
        nodes.extend(before.get(node.name, []))
        nodes.append(node)
    used = {i for n in nodes for i in n.input}
    nodes = [n for n in nodes if not (n.op_type == "Constant" and n.output[0] not in used)]
    del graph.node[:]
    graph.node.extend(nodes)

    for value in list(graph.input) + list(graph.output):
        dims = value.type.tensor_type.shape.dim
        for i, name in ((2, "height"), (3, "width")):
            dims[i].ClearField("dim_value")
            dims[i].dim_param = name

    onnx.checker.check_model(model)
    data = os.path.basename(dst) + ".data"
    if os.path.exists(os.path.join(os.path.dirname(dst) or ".", data)):
        os.remove(os.path.join(os.path.dirname(dst) or ".", data))
    onnx.save(model, dst, save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=1024)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
