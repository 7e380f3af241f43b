"""Reads back what a moto server stored, through boto3 (not through the
client under test): DescribeLifecycleHooks of one Auto Scaling group.

  moto_describe.py <endpoint-url> <auto-scaling-group-name> [<hook-name> ...]

Prints {"LifecycleHooks": [...], "RequestId": "..."} as JSON on stdout.
"""

import json
import os
import sys

for name in list(os.environ):
    if name.startswith("AWS_"):
        del os.environ[name]
os.environ["AWS_CONFIG_FILE"] = os.devnull
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
os.environ["AWS_EC2_METADATA_DISABLED"] = "true"

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402


def main():
    endpoint, group, *hooks = sys.argv[1:]
    client = boto3.session.Session().client(
        "autoscaling",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=5, read_timeout=10),
    )
    kwargs = {"AutoScalingGroupName": group}
    if hooks:
        kwargs["LifecycleHookNames"] = hooks
    response = client.describe_lifecycle_hooks(**kwargs)
    out = {
        "LifecycleHooks": response["LifecycleHooks"],
        "RequestId": response["ResponseMetadata"].get("RequestId"),
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
