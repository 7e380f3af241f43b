"""Answers of AWS operations as the official model says they look, for the
generated parsers to read.

JSON lines on stdin, one answer line per request on stdout:

  {"id": ..., "service": "autoscaling", "operation": "DescribeLifecycleHooks",
   "seed": 7}

For the operation's output shape in botocore's model (the pinned botocore),
the oracle makes a value at random (seeded: the same seed gives the same
value): every member present or left out, strings with characters that need
escaping, numbers at their bounds, lists of 0 to 3 items, timestamps with
milliseconds, nested structures to a bounded depth. moto's response
serializer (`moto.core.serialize`, which writes answers from botocore's
operation models) turns it into the wire answer: XML under `<OpResult>` for
awsQuery, JSON for awsJson. botocore's own parser then reads that answer back,
and that reading is the expected result: the generated client must read the
same answer the same way.

Answer: {"id", "status", "headers": {...}, "body_b64", "parsed": {...}} where
`parsed` is botocore's parse without ResponseMetadata, timestamps as epoch
milliseconds; or {"id", "error"}.
Exits on end of input, or after IDLE_SECONDS without a request.
"""

import base64
import datetime
import json
import os
import random
import select
import sys

for name in list(os.environ):
    if name.startswith("AWS_"):
        del os.environ[name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import botocore.session  # noqa: E402
from botocore.parsers import create_parser  # noqa: E402
from moto.core.model import ServiceModel as MotoServiceModel  # noqa: E402
from moto.core.serialize import get_serializer_class  # noqa: E402

IDLE_SECONDS = 120
SESSION = botocore.session.Session()
MODELS = {}
TRICKY = ["&", "<", ">", "'", '"', "é", "🚀", "日本", " ", "\t", "/", "+", "=", ":", "\\", "]]>", "&amp;"]


def model(service):
    """botocore's service model, and moto's view of the same JSON (its serializer needs its own shape classes)."""
    if service not in MODELS:
        botocore_model = SESSION.get_service_model(service)
        MODELS[service] = (botocore_model, MotoServiceModel(SESSION.get_service_data(service), service))
    return MODELS[service]


def text(rng, shape):
    if shape.enum:
        return rng.choice(shape.enum + ["UNKNOWN_" + str(rng.randint(0, 9))])
    lo = shape.metadata.get("min", 1)
    hi = min(shape.metadata.get("max", 24), 24)
    n = rng.randint(max(lo, 1), max(hi, max(lo, 1)))
    parts = [rng.choice(TRICKY) if rng.random() < 0.3 else rng.choice("abcdefXYZ0123-_") for _ in range(n)]
    return "".join(parts)


def value(rng, shape, depth):
    t = shape.type_name
    if t == "structure":
        out = {}
        for name, member in shape.members.items():
            if name in shape.required_members or rng.random() < 0.7:
                if depth < 5 or member.type_name not in ("structure", "list", "map"):
                    out[name] = value(rng, member, depth + 1)
        return out
    if t == "list":
        return [value(rng, shape.member, depth + 1) for _ in range(rng.randint(0, 3))]
    if t == "map":
        return {text(rng, shape.key): value(rng, shape.value, depth + 1) for _ in range(rng.randint(0, 2))}
    if t == "string":
        return text(rng, shape)
    if t in ("integer", "long"):
        lo = int(shape.metadata.get("min", -(2**31) if t == "integer" else -(2**53)))
        hi = int(shape.metadata.get("max", 2**31 - 1 if t == "integer" else 2**53))
        return rng.choice([lo, hi, rng.randint(lo, hi), 0 if lo <= 0 <= hi else lo])
    if t == "boolean":
        return rng.random() < 0.5
    if t in ("double", "float"):
        return rng.choice([0.0, 1.5, -2.25, 1e10])
    if t == "timestamp":
        ms = rng.randint(0, 4102444800000)
        return datetime.datetime.fromtimestamp(ms / 1000, datetime.timezone.utc)
    if t == "blob":
        return bytes(rng.randint(0, 255) for _ in range(rng.randint(0, 8)))
    raise ValueError(f"no value for type {t}")


def plain(v):
    """botocore's parse as JSON: timestamps as epoch milliseconds, blobs as base64."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items() if k != "ResponseMetadata"}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, datetime.datetime):
        return round(v.timestamp() * 1000)
    if isinstance(v, bytes):
        return base64.b64encode(v).decode()
    return v


def handle(req):
    service_model, moto_model = model(req["service"])
    op = service_model.operation_model(req["operation"])
    rng = random.Random(req["seed"])
    result = value(rng, op.output_shape, 0) if op.output_shape is not None else {}
    serializer = get_serializer_class(req["service"], service_model.protocol)(moto_model.operation_model(req["operation"]))
    answer = serializer.serialize(result)
    body = answer["body"]
    body = body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")
    headers = dict(answer["headers"])
    headers.setdefault("x-amzn-RequestId", "rid-oracle")
    parser = create_parser(service_model.protocol)
    parsed = parser.parse(
        {"status_code": answer["status_code"], "headers": headers, "body": body}, op.output_shape
    )
    return {
        "status": answer["status_code"],
        "headers": headers,
        "body_b64": base64.b64encode(body).decode(),
        "parsed": plain(parsed),
    }


def main():
    while True:
        ready, _, _ = select.select([sys.stdin], [], [], IDLE_SECONDS)
        if not ready:
            return
        line = sys.stdin.readline()
        if not line:
            return
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            answer = handle(req)
        except Exception as e:  # reported to the test, which fails with it
            answer = {"error": f"{type(e).__name__}: {e}"}
        answer["id"] = req.get("id")
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
