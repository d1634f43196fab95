#!/usr/bin/python3
"""Makes IMG.LY's fp16 ISNet export loadable by OpenCV 4.6's DNN module.

OpenCV 4.6 has no fp16 tensors in its ONNX importer and no Cast layer for them, so:
every fp16 initializer and Constant becomes fp32, every Cast between float types is
removed (its consumers read its input instead), and only the first output (the final
1x1xHxW mask) is kept, with the nodes that only fed the side outputs pruned.
Uses Debian's python3-onnx (1.12). Usage: fp16_to_fp32.py IN.onnx OUT.onnx
"""
import sys

import numpy as np
import onnx
from onnx import TensorProto, numpy_helper

FLOATS = (TensorProto.FLOAT, TensorProto.FLOAT16)


def to_fp32(tensor):
    if tensor.data_type != TensorProto.FLOAT16:
        return tensor
    return numpy_helper.from_array(numpy_helper.to_array(tensor).astype(np.float32), tensor.name)


def rename(graph, old, new):
    for node in graph.node:
        node.input[:] = [new if name == old else name for name in node.input]
        node.output[:] = [new if name == old else name for name in node.output]


def main(src, dst):
    model = onnx.load(src)
    graph = model.graph
    outputs = {o.name for o in graph.output}

    for i, init in enumerate(graph.initializer):
        graph.initializer[i].CopyFrom(to_fp32(init))
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.TENSOR:
                attr.t.CopyFrom(to_fp32(attr.t))

    casts = [n for n in graph.node if n.op_type == "Cast"]
    for cast in casts:
        to = next(a.i for a in cast.attribute if a.name == "to")
        if to not in FLOATS:
            sys.exit(f"unexpected Cast to type {to} in {cast.name}")
        src_name, dst_name = cast.input[0], cast.output[0]
        graph.node.remove(cast)
        if dst_name in outputs:
            rename(graph, src_name, dst_name)  # keep the graph output's name
        else:
            rename(graph, dst_name, src_name)

    for value in list(graph.input) + list(graph.output):
        if value.type.tensor_type.elem_type == TensorProto.FLOAT16:
            value.type.tensor_type.elem_type = TensorProto.FLOAT
    del graph.value_info[:]

    # Keep the first output only and drop what fed nothing else.
    keep = graph.output[0]
    del graph.output[1:]
    needed = {keep.name}
    live = []
    for node in reversed(graph.node):
        if any(o in needed for o in node.output):
            live.append(node)
            needed.update(i for i in node.input if i)
    del graph.node[:]
    graph.node.extend(reversed(live))
    used = {i for n in graph.node for i in n.input}
    kept_inits = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept_inits)

    onnx.checker.check_model(model)
    onnx.save(model, dst)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
