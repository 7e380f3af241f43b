"""botocore as the oracle of profile semantics: resolves credentials and the
region from the environment this process was started with (the test sets
AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, AWS_* variables, HOME) exactly
as botocore's default session does, and prints them as one JSON line.

Usage: botocore_credentials.py [PROFILE]
  PROFILE, when given, is passed as Session(profile=...) (as `aws --profile`),
  which makes botocore skip the environment's keys.

Output: {"access_key", "secret_key", "token", "region", "method"} or {"error"}.
"""

import json
import sys

import botocore.session


def main():
    session = botocore.session.Session(profile=sys.argv[1] if len(sys.argv) > 1 else None)
    try:
        credentials = session.get_credentials()
        region = session.get_config_variable("region")
        if credentials is None:
            print(json.dumps({"error": "no credentials", "region": region}))
            return
        frozen = credentials.get_frozen_credentials()
        print(json.dumps({
            "access_key": frozen.access_key,
            "secret_key": frozen.secret_key,
            "token": frozen.token,
            "region": region,
            "method": credentials.method,
        }))
    except Exception as e:  # the test compares outcomes, and shows this
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))


if __name__ == "__main__":
    main()
