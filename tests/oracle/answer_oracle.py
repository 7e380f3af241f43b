"""The peers' own answer handling as an oracle: what botocore's response
parser makes of an answer to an AWS operation, and what huaweicloudsdkcore's
DefaultExceptionHandler makes of an answer to a Huawei call, on the exact
status, headers and body a test's server sent.

JSON lines on stdin, one answer line per request on stdout:

  {"id": ..., "peer": "botocore", "operation": "ListHookResults",
   "status": 200, "headers": [["name_b64", "value_b64"], ...], "body_b64": "..."}
  {"id": ..., "peer": "huawei", "status": 400, "headers": [...], "body_b64": "..."}

Header names and values are bytes, decoded as ISO-8859-1 as http.client does;
repeated names are joined with ", " as urllib3 does.

botocore: the operation's output shape from botocore's own service model,
the protocol's parser (botocore.parsers.create_parser), parsed as a botocore
client parses (the error branch from status 301 up). Answer
{"id", "kind": "success", "output": {...}, "request_id"} with timestamps as
{"$ts": microseconds since the epoch} and blobs as {"$b64": ...};
{"id", "kind": "error", "code", "message", "request_id"} when the status is
300 or more (a botocore client raises ClientError for those); or
{"id", "kind": "raised", "exception": "Type: text"} when the parser raised.

huawei: {"id", "kind": "success"} when the SDK raises nothing (status below
400), else {"id", "kind": "error", "exception_class", "status", "code",
"message", "request_id"}.

Exits on end of input, or after IDLE_SECONDS without a request.
"""

import base64
import datetime
import json
import os
import select
import sys

for name in list(os.environ):
    if name.startswith("AWS_"):
        del os.environ[name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import botocore.parsers  # noqa: E402
import botocore.session  # noqa: E402
import requests  # noqa: E402
from botocore.awsrequest import HeadersDict  # noqa: E402
from huaweicloudsdkcore.exceptions import exceptions as huawei_exceptions  # noqa: E402
from huaweicloudsdkcore.exceptions.exception_handler import DefaultExceptionHandler  # noqa: E402
from requests.structures import CaseInsensitiveDict  # noqa: E402

IDLE_SECONDS = 120

SERVICES = {
    "PutLifecycleHook": "autoscaling",
    "ListHookResults": "cloudformation",
    "PutLifecycleEventHookExecutionStatus": "codedeploy",
    "SendWorkflowStepState": "transfer",
}

SESSION = botocore.session.Session()
MODELS = {}
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def model(service):
    if service not in MODELS:
        MODELS[service] = SESSION.get_service_model(service)
    return MODELS[service]


def headers_of(req):
    pairs = []
    for name_b64, value_b64 in req["headers"]:
        name = base64.b64decode(name_b64).decode("iso-8859-1")
        value = base64.b64decode(value_b64).decode("iso-8859-1")
        pairs.append((name, value))
    joined = {}
    order = []
    for name, value in pairs:
        key = name.lower()
        if key in joined:
            joined[key] = (joined[key][0], joined[key][1] + ", " + value)
        else:
            joined[key] = (name, value)
            order.append(key)
    return [joined[k] for k in order]


def plain(value):
    """The parsed value as JSON, timestamps and blobs tagged."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        delta = value - EPOCH
        return {"$ts": (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds}
    if isinstance(value, (bytes, bytearray)):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def botocore_answer(req):
    service = model(SERVICES[req["operation"]])
    operation = service.operation_model(req["operation"])
    parser = botocore.parsers.create_parser(service.metadata["protocol"])
    headers = HeadersDict()
    for name, value in headers_of(req):
        headers[name] = value
    response = {
        "status_code": req["status"],
        "headers": headers,
        "body": base64.b64decode(req["body_b64"]),
        "context": {"operation_name": operation.name},
    }
    try:
        parsed = parser.parse(response, operation.output_shape)
    except Exception as e:  # the parser refused the answer
        return {"kind": "raised", "exception": f"{type(e).__name__}: {e}"[:500]}
    metadata = parsed.pop("ResponseMetadata", {})
    request_id = metadata.get("RequestId")
    if req["status"] >= 300:
        error = parsed.get("Error", {})
        return {
            "kind": "error",
            "code": error.get("Code"),
            "message": error.get("Message"),
            "request_id": request_id,
        }
    try:
        output = plain(parsed)
    except Exception as e:  # botocore made a value Python cannot use (an offset of 24 hours)
        return {"kind": "raised", "exception": f"UnusableValue: {type(e).__name__}: {e}"[:500]}
    return {"kind": "success", "output": output, "request_id": request_id}


def huawei_answer(req):
    response = requests.Response()
    response.status_code = req["status"]
    response._content = base64.b64decode(req["body_b64"])
    response.headers = CaseInsensitiveDict(headers_of(req))
    try:
        DefaultExceptionHandler().handle_exception(None, response)
    except huawei_exceptions.ServiceResponseException as e:
        return {
            "kind": "error",
            "exception_class": type(e).__name__,
            "status": e.status_code,
            "code": e.error_code,
            "message": e.error_msg,
            "request_id": e.request_id,
        }
    return {"kind": "success"}


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
            answer = botocore_answer(req) if req["peer"] == "botocore" else huawei_answer(req)
        except Exception as e:  # a fault of the oracle itself: the test fails with it
            answer = {"kind": "oracle_error", "error": f"{type(e).__name__}: {e}"}
        answer["id"] = req.get("id")
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
