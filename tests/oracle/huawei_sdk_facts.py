"""The official facts of Huawei Cloud AS operations, read from the SDK
(huaweicloudsdkas, pinned in scripts/requirements.txt), for `cargo xtask
crosscheck`.

Usage: huawei_sdk_facts.py '{"OurName": "sdk_method_name", ...}'

Prints one JSON object in the keys of this project's model format:

  {"service": {...},
   "operations": {"OurName": {"http": {"method", "path", "success_status": null},
                              "input": "<request class>", "output": "<response class>",
                              "errors": null, "idempotent": null, "sdk": "<method>"}},
   "shapes": {"<class>": {"type": "structure", "members": {...}},
              "<class>.<member>": {"type": ..., "length": ..., "range": ...,
                                   "pattern": ..., "values": [...]}}}

A `null` is a fact the SDK does not state (the crosscheck skips it); a key
left out is a fact the SDK states as absent.

Where each fact comes from:
- method, path, and where each parameter goes: `AsClient._<method>_http_info`
  (its `path_params`, `query_params`, `header_params` and `body` code);
- members, wire names and types: each class's `openapi_types` and
  `attribute_map`; a request's `body` is spread into body members;
- required-ness: the constructor assigns a required member unconditionally
  (`self.x = x`) and an optional one under `if x is not None:`;
- lengths, ranges, value lists and character rules: the members'
  documentation, which is Chinese prose, read by the phrases below (the SDK
  checks none of them): `(1-32个字符)`, `长度不超过256位`, `取值范围60-86400`,
  upper-case words of five letters or more as values, and the two character
  rules the AS classes use, as anchored ECMA-262 patterns. An unknown character
  rule is reported as such, so that it cannot pass unnoticed.
- the endpoint: the SDK's region table (`AsRegion`): the template most
  regions follow, and each region that has another host as a partition.
"""

import html
import inspect
import json
import re
import sys

import huaweicloudsdkas.v1 as v1
from huaweicloudsdkas.v1.as_client import AsClient
from huaweicloudsdkas.v1.region.as_region import AsRegion

TYPES = {"str": "string", "int": "int", "bool": "boolean", "float": "double", "object": "document"}
NOT_VALUES = {"HUAWEI"}
CHARACTER_RULES = {
    "只能包含字母、数字、下划线或中划线": "^[A-Za-z0-9_-]+$",
    "不能包含字符< > & ' ( )": "^[^<>&'()]*$",
}


def required_members(cls):
    src = inspect.getsource(cls.__init__)
    return {k for k in cls.openapi_types if re.search(r"^        self\.%s = %s$" % (k, k), src, re.M)}


def member_docs(cls):
    doc = cls.__init__.__doc__ or ""
    out = {}
    for k in cls.openapi_types:
        m = re.search(r":param %s: (.*)" % re.escape(k), doc)
        out[k] = html.unescape(m.group(1)) if m else ""
    return out


def leaf(sdk_type, doc):
    """A member's own shape: its type and what its documentation says of it.

    The documentation states limits and value lists only here and there: a
    limit it does not state is `null` (not stated), not "none". A `str` member
    whose documentation lists no values is `str` (a string or an enum: the
    SDK's types have no enums)."""
    shape = {"type": TYPES.get(sdk_type, sdk_type), "documentation": doc, "length": None, "range": None, "pattern": None}
    m = re.search(r"(\d+)-(\d+)个字符", doc)
    if m:
        shape["length"] = {"min": int(m.group(1)), "max": int(m.group(2))}
    m = re.search(r"长度不超过(\d+)", doc)
    if m:
        shape["length"] = {"max": int(m.group(1))}
    m = re.search(r"取值范围(\d+)-(\d+)", doc)
    if m:
        shape["range"] = {"min": int(m.group(1)), "max": int(m.group(2))}
    for phrase, regex in CHARACTER_RULES.items():
        if phrase in doc:
            shape["pattern"] = {"regex": regex}
    if "pattern" not in shape and re.search(r"只能包含|不能包含", doc):
        shape["pattern"] = {"regex": "(a character rule this script does not know: %s)" % doc}
    if shape["type"] == "string":
        values = []
        for word in re.findall(r"(?<![A-Za-z_])[A-Z][A-Z_]{4,}(?![A-Za-z_])", doc):
            if word not in values and word not in NOT_VALUES:
                values.append(word)
        if values:
            shape["type"] = "enum"
            shape["values"] = [{"value": v} for v in values]
        else:
            shape["type"] = "str"
    return shape


def structure(cls, shapes, locations=None, body_key=None):
    """The class as a structure (its `body`, if any, spread into body members)."""
    locations = locations or {}
    members = {}
    required = required_members(cls)
    docs = member_docs(cls)
    for name, sdk_type in cls.openapi_types.items():
        if name == body_key:
            body_cls = getattr(v1, sdk_type)
            body = structure(body_cls, shapes)
            members.update(shapes.pop(body_cls.__name__)["members"])
            continue
        member = {"shape": member_shape(cls, name, sdk_type, docs[name], shapes), "required": name in required}
        if name in locations:
            member["location"] = locations[name]
        wire = cls.attribute_map[name]
        if wire != name:
            member["wire_name"] = wire
        members[name] = member
    shapes[cls.__name__] = {"type": "structure", "members": members}
    return cls.__name__


def member_shape(cls, name, sdk_type, doc, shapes):
    m = re.match(r"^list\[(.*)\]$", sdk_type)
    if m:
        key = "%s.%s" % (cls.__name__, name)
        shapes[key] = {"type": "list", "member": element(m.group(1), doc, key, shapes)}
        return key
    m = re.match(r"^dict\(str, (.*)\)$", sdk_type)
    if m:
        key = "%s.%s" % (cls.__name__, name)
        shapes[key + ".key"] = {"type": "string"}
        shapes[key] = {"type": "map", "key": key + ".key", "value": element(m.group(1), doc, key, shapes)}
        return key
    return element(sdk_type, doc, "%s.%s" % (cls.__name__, name), shapes)


def element(sdk_type, doc, key, shapes):
    if hasattr(v1, sdk_type):
        return structure(getattr(v1, sdk_type), shapes)
    shapes[key] = leaf(sdk_type, doc)
    return key


def operation(method, shapes):
    info = getattr(AsClient, "_%s_http_info" % method)
    src = inspect.getsource(info)
    http = re.search(r'"method": "(\w+)",\s*"resource_path": "([^"]+)"', src)
    locations = {k: "path" for k in re.findall(r"path_params\['(\w+)'\]", src)}
    locations.update({k: "query" for k in re.findall(r"query_params\.append\(\('(\w+)'", src)})
    locations.update({k: "header" for k in re.findall(r"header_params\['(\w+)'\] = local_var_params", src)})
    request_type = "".join(w.capitalize() for w in method.split("_")) + "Request"
    request_cls = getattr(v1, request_type)
    body_key = "body" if re.search(r"body = local_var_params\['body'\]", src) else None
    response_type = re.search(r'"response_type": "(\w+)"', src).group(1)
    return {
        "sdk": method,
        "http": {"method": http.group(1), "path": http.group(2), "success_status": None},
        "input": structure(request_cls, shapes, locations, body_key),
        "output": structure(getattr(v1, response_type), shapes),
        "errors": None,
        "idempotent": None,
    }


def endpoint():
    """The template most regions follow, and the regions that do not (as partitions)."""
    templates = {}
    for name, region in AsRegion.static_fields.items():
        url = region.endpoints[0]
        templates.setdefault(url.replace(name, "{region}", 1) if name in url else url, []).append(name)
    main = max(templates, key=lambda t: len(templates[t]))
    partitions = [
        {"region_prefix": name, "template": template}
        for template, names in templates.items()
        if template != main
        for name in names
    ]
    out = {"template": main}
    if partitions:
        out["partitions"] = partitions
    return out


def main():
    mapping = json.loads(sys.argv[1])
    shapes = {}
    operations = {ours: operation(method, shapes) for ours, method in mapping.items()}
    service = {
        "api_version": "v1",
        "protocol": {"type": None},
        "signing": {"scheme": "huawei-sdk-hmac-sha256"},
        "endpoint": endpoint(),
    }
    json.dump({"service": service, "operations": operations, "shapes": shapes}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
