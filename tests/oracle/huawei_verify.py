"""Huawei Cloud's official signer as a verifier: re-signs a request received
on the wire with huaweicloudsdkcore's `Signer` (the SDK's own code) and
answers what the SDK computes, for the test to compare with the request's
own `Authorization` header.

JSON lines on stdin, one answer line per request on stdout:

  {"id": ..., "method": "PUT", "host": "127.0.0.1:1234",
   "path": "/raw/percent-encoded/path", "query": [["k", "v"], ...],
   "headers": [["Name", "value"], ...],   # as received, in order
   "body_b64": "...", "ak": "...", "sk": "..."}

Like a server verifying a request, it signs only the headers the request's
`Authorization` names in `SignedHeaders` (so transport headers added after
signing, e.g. Content-Length and Accept, do not count), and it keeps the
received `X-Sdk-Date`, which the SDK's signer then uses instead of its clock.

Answer: {"id", "authorization", "signed_headers", "x_sdk_date", "uri"} or
{"id", "error"}. Exits on end of input, or after IDLE_SECONDS without a request.
"""

import base64
import json
import re
import select
import sys

from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.sdk_request import SdkRequest
from huaweicloudsdkcore.signer.signer import Signer

IDLE_SECONDS = 120


def handle(req):
    headers = req["headers"]
    authorization = next((v for k, v in headers if k.lower() == "authorization"), None)
    if authorization is None:
        raise ValueError("the request has no Authorization header")
    m = re.search(r"SignedHeaders=([^,\s]+)", authorization)
    if m is None:
        raise ValueError(f"no SignedHeaders in {authorization!r}")
    signed = m.group(1).split(";")
    header_params = {}
    for name, value in headers:
        if name.lower() in signed and name.lower() not in {k.lower() for k in header_params}:
            header_params[name] = value
    missing = [s for s in signed if s not in {k.lower() for k in header_params}]
    if missing:
        raise ValueError(f"signed headers missing from the request: {missing}")
    body = base64.b64decode(req["body_b64"])
    request = SdkRequest(
        method=req["method"],
        schema="http",
        host=req["host"],
        resource_path=req["path"],
        query_params=[(k, v) for k, v in req.get("query", [])],
        header_params=header_params,
        body=body,
    )
    credentials = BasicCredentials(req["ak"], req["sk"])
    signed_request = Signer(credentials).sign(request)
    out_headers = signed_request.header_params
    return {
        "authorization": out_headers["Authorization"],
        "signed_headers": ";".join(signed),
        "x_sdk_date": next((v for k, v in out_headers.items() if k.lower() == "x-sdk-date"), None),
        "uri": signed_request.uri,
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
