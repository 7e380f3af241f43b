"""Huawei Cloud's AS SDK as an oracle of requests: builds, signs and sends each
request exactly as `huaweicloudsdkas`'s AsClient does, to an endpoint of the
test's own (a loopback server that records what arrives).

JSON lines on stdin, one answer line per request on stdout:

  {"id": ..., "method": "create_lify_cycle_hook",      # AsClient's method
   "request": {"scaling_group_id": ..., ...},          # the request class's members
   "body": {...} or null,                              # the body class's members, if any
   "endpoint": "http://127.0.0.1:<port>",
   "sign_body_b64": "...",                             # optional: sign and send these bytes instead
   "security_token": "..."}                            # optional: temporary credentials

The client: BasicCredentials (AK HPUAEXAMPLEAK0000001, the test secret key,
project 0123456789abcdef0123456789abcdef), the endpoint given, no proxy, no
retry, User-Agent `huaweicloud-usdk-python/3.0` (config.user_agent = ""), and
the signing clock fixed at 2024-01-02T03:04:05Z (the SDK's signer uses an
X-Sdk-Date header it finds instead of its clock). The request goes through the
SDK's own serialization (simplejson, None members left out) and signer, and
over its own HTTP layer (requests). When `sign_body_b64` is given, those bytes
replace the serialized body before signing (so that the signature can be
compared over the bytes another client sends: JSON bodies legitimately differ
byte for byte), and the SDK's own body is answered as `serialized_body_b64`.

Answer: {"id", "status", "serialized_body_b64"} (the SDK's call returned) or
{"id", "error"}. Exits on end of input, or after IDLE_SECONDS without a request.
"""

import base64
import json
import os
import select
import sys

for name in list(os.environ):
    if name.startswith("HUAWEICLOUD_") or name.lower() in ("http_proxy", "https_proxy", "all_proxy"):
        del os.environ[name]
os.environ["NO_PROXY"] = "*"

from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.http.http_config import HttpConfig  # noqa: E402
import huaweicloudsdkas.v1 as v1  # noqa: E402
from huaweicloudsdkas.v1.as_client import AsClient  # noqa: E402

AK = "HPUAEXAMPLEAK0000001"
SK = "ExampleSecretKey0123456789abcdefghijklmn"
PROJECT = "0123456789abcdef0123456789abcdef"
SDK_DATE = "20240102T030405Z"
IDLE_SECONDS = 120

STATE = {"sign_body": None, "serialized": None}

_process_auth_request = BasicCredentials.process_auth_request


def process_auth_request(self, request, http_client):
    """The SDK's signing step, with the fixed date and (optionally) other body bytes."""
    body = request.body
    STATE["serialized"] = body.encode("utf-8") if isinstance(body, str) else (body or b"")
    if STATE["sign_body"] is not None:
        request.body = STATE["sign_body"]
    request.header_params["X-Sdk-Date"] = SDK_DATE
    return _process_auth_request(self, request, http_client)


BasicCredentials.process_auth_request = process_auth_request

CLIENTS = {}


def client(endpoint, security_token):
    key = (endpoint, security_token)
    if key not in CLIENTS:
        config = HttpConfig.get_default_config()
        config.user_agent = ""
        config.retry_times = 0
        config.timeout = (5, 10)
        credentials = BasicCredentials(AK, SK, PROJECT)
        if security_token:
            credentials = credentials.with_security_token(security_token)
        CLIENTS[key] = (
            AsClient.new_builder().with_http_config(config).with_credentials(credentials).with_endpoints([endpoint]).build()
        )
    return CLIENTS[key]


def class_named(method, suffix):
    return getattr(v1, "".join(w.capitalize() for w in method.split("_")) + suffix)


def handle(req):
    method = req["method"]
    request_cls = class_named(method, "Request")
    fields = dict(req.get("request") or {})
    if req.get("body") is not None:
        body_type = request_cls.openapi_types["body"]
        fields["body"] = getattr(v1, body_type)(**req["body"])
    request = request_cls(**fields)
    sign_body = req.get("sign_body_b64")
    STATE["sign_body"] = base64.b64decode(sign_body) if sign_body is not None else None
    STATE["serialized"] = None
    response = getattr(client(req["endpoint"], req.get("security_token")), method)(request)
    return {
        "status": response.status_code,
        "serialized_body_b64": base64.b64encode(STATE["serialized"] or b"").decode(),
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
