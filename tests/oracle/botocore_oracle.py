"""botocore as an oracle: serializes and signs requests exactly as a real
botocore client does, and sends nothing.

JSON lines on stdin, one answer line per request on stdout:

  {"id": ..., "operation": "PutLifecycleHook",
   "params": [["Name", value], ...],      # ordered: botocore keeps caller order
   "sign_body_b64": "...",                # optional: sign these bytes instead
   "endpoint_url": "http://...",          # optional: endpoint override
   "session_token": "..."}                # optional: temporary credentials

The call goes through a real botocore client (region us-east-1, credentials
AKIDEXAMPLE, clock fixed at 2024-01-02T03:04:05Z, client-side validation off).
A `before-sign` handler records the body botocore serialized and, when
`sign_body_b64` is given, puts those bytes in its place, so that the SigV4
signature can be compared over the exact bytes another client sends (awsJson
bodies differ byte-wise between serializers). A `before-send` handler captures
the signed request and aborts the call.

Answer: {"id", "method", "url", "headers": {...}, "body_b64",
         "serialized_body_b64"} or {"id", "error"}.
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

import botocore.auth  # noqa: E402
import botocore.session  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore import xform_name  # noqa: E402

ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
REGION = "us-east-1"
FIXED = datetime.datetime(2024, 1, 2, 3, 4, 5)
IDLE_SECONDS = 120

SERVICES = {
    "PutLifecycleHook": "autoscaling",
    "CompleteLifecycleAction": "autoscaling",
    "RecordLifecycleActionHeartbeat": "autoscaling",
    "DescribeLifecycleHooks": "autoscaling",
    "DeleteLifecycleHook": "autoscaling",
    "DescribeLifecycleHookTypes": "autoscaling",
    "ListHookResults": "cloudformation",
    "GetHookResult": "cloudformation",
    "DescribeChangeSetHooks": "cloudformation",
    "PutLifecycleEventHookExecutionStatus": "codedeploy",
    "SendWorkflowStepState": "transfer",
    "DescribeExecution": "transfer",
    "ListExecutions": "transfer",
}


def fixed_now(remove_tzinfo=True):
    return FIXED if remove_tzinfo else FIXED.replace(tzinfo=datetime.timezone.utc)


# SigV4Auth reads the clock through this name only.
botocore.auth.get_current_datetime = fixed_now


class Captured(Exception):
    def __init__(self, request):
        super().__init__("captured")
        self.request = request


STATE = {"sign_body": None, "serialized": None}


def before_sign(request, **_):
    STATE["serialized"] = request.body
    if STATE["sign_body"] is not None:
        request.data = STATE["sign_body"]


def before_send(request, **_):
    raise Captured(request)


SESSION = botocore.session.Session()
CLIENTS = {}


def client(service, endpoint_url=None, session_token=None):
    key = (service, endpoint_url, session_token)
    if key not in CLIENTS:
        c = SESSION.create_client(
            service,
            region_name=REGION,
            endpoint_url=endpoint_url,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            aws_session_token=session_token,
            config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
        )
        c.meta.events.register("before-sign", before_sign)
        c.meta.events.register("before-send", before_send)
        CLIENTS[key] = c
    return CLIENTS[key]


def as_bytes(body):
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    return bytes(body)


def handle(req):
    op = req["operation"]
    params = dict((k, v) for k, v in req["params"])
    sign_body = req.get("sign_body_b64")
    STATE["sign_body"] = base64.b64decode(sign_body) if sign_body is not None else None
    STATE["serialized"] = None
    c = client(SERVICES[op], req.get("endpoint_url"), req.get("session_token"))
    try:
        getattr(c, xform_name(op))(**params)
    except Captured as captured:
        r = captured.request
        return {
            "method": r.method,
            "url": r.url,
            "headers": {k: (v.decode("utf-8") if isinstance(v, bytes) else v) for k, v in r.headers.items()},
            "body_b64": base64.b64encode(as_bytes(r.body)).decode(),
            "serialized_body_b64": base64.b64encode(as_bytes(STATE["serialized"])).decode(),
        }
    raise RuntimeError("botocore sent nothing")


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
