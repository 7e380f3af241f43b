"""huaweicloudsdkcore as the oracle of Huawei Cloud credentials, JSON lines on
stdin, one answer per line on stdout.

{"op": "sign", "method", "host", "path", "query": [[k, v]], "headers": [[k, v]],
 "body_b64", "ak", "sk", "security_token"}
  Signs the request the SDK's own way for temporary credentials:
  `BasicCredentials(ak, sk).with_security_token(token).sign_request(request)`,
  which adds `X-Security-Token` to the headers and signs them all. The test
  passes the headers its request signed (from `SignedHeaders`) but the token,
  with the request's `X-Sdk-Date`. Answer: {"authorization", "x_security_token"}.

{"op": "resolve", "env": {...}}
  Resolves credentials with the SDK's provider chain for regional services
  (`CredentialProviderChain.get_basic_credential_provider_chain()`) in an
  environment of exactly these variables. The ECS metadata endpoint is
  pointed at a closed loopback port first, so that nothing but loopback is
  ever reached. Answer: {"ak", "sk", "project_id", "security_token"} or {"error"}.
"""

import base64
import json
import os
import sys

from huaweicloudsdkcore.auth import internal
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.auth.provider import CredentialProviderChain
from huaweicloudsdkcore.sdk_request import SdkRequest

# The guard: the SDK's metadata accessor never leaves loopback.
internal.MetadataAccessor._METADATA_ENDPOINT = "http://127.0.0.1:9"


def sign(req):
    request = SdkRequest(
        method=req["method"],
        schema="http",
        host=req["host"],
        resource_path=req["path"],
        query_params=[(k, v) for k, v in req.get("query", [])],
        header_params={k: v for k, v in req["headers"]},
        body=base64.b64decode(req["body_b64"]),
    )
    credentials = BasicCredentials(req["ak"], req["sk"]).with_security_token(req["security_token"])
    signed = credentials.sign_request(request)
    return {
        "authorization": signed.header_params["Authorization"],
        "x_security_token": signed.header_params.get("X-Security-Token"),
    }


def resolve(req):
    for k in list(os.environ):
        if k.startswith("HUAWEICLOUD_"):
            del os.environ[k]
    os.environ.update(req["env"])
    try:
        c = CredentialProviderChain.get_basic_credential_provider_chain().get_credentials()
    except Exception as e:
        return {"error": f"{type(e).__name__}: {e}"}
    return {"ak": c.ak, "sk": c.sk, "project_id": c.project_id, "security_token": c.security_token}


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        req = json.loads(line)
        try:
            answer = sign(req) if req["op"] == "sign" else resolve(req)
        except Exception as e:
            answer = {"error": f"{type(e).__name__}: {e}"}
        answer["id"] = req.get("id")
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
