#!/usr/bin/env python3
"""Writes k8s-json-fields.txt: what Kubernetes' JSON does with fields that the .proto files do not say.

The protobuf wire cannot tell "unset" from "zero" for most fields (Go writes every non-pointer
field), so the decoder drops zero scalars except those whose zero Kubernetes' JSON keeps: pointers
and fields without omitempty. And a few messages are inlined into their parent in JSON
(json:",inline"). Both facts live only in the Go struct tags, read here.

Usage: json-fields.py <k8s.io/api checkout> <k8s.io/apimachinery checkout> <version> > OUT
"""
import glob
import os
import re
import sys

api, machinery, version = sys.argv[1:4]
packages = {
    'core/v1': 'k8s.io.api.core.v1', 'apps/v1': 'k8s.io.api.apps.v1', 'batch/v1': 'k8s.io.api.batch.v1',
    'autoscaling/v1': 'k8s.io.api.autoscaling.v1',
}
machinery_packages = {
    'pkg/apis/meta/v1': 'k8s.io.apimachinery.pkg.apis.meta.v1', 'pkg/runtime': 'k8s.io.apimachinery.pkg.runtime',
    'pkg/runtime/schema': 'k8s.io.apimachinery.pkg.runtime.schema',
    'pkg/util/intstr': 'k8s.io.apimachinery.pkg.util.intstr', 'pkg/api/resource': 'k8s.io.apimachinery.pkg.api.resource',
}
dirs = {os.path.join(api, d): p for d, p in packages.items()}
dirs.update({os.path.join(machinery, d): p for d, p in machinery_packages.items()})

def sources(directory):
    return [f for f in sorted(glob.glob(directory + '/*.go'))
            if not f.endswith('_test.go') and 'generated' not in os.path.basename(f)]

# named types that are plain strings/numbers/booleans (Protocol, UID, ...): scalars on the wire
scalars = {'string', 'bool', 'int', 'int32', 'int64', 'float64'}
for directory in list(dirs) + [os.path.join(machinery, 'pkg/types')]:
    for f in sources(directory):
        scalars.update(re.findall(r'^type (\w+) (?:string|bool|int32|int64|float64)$', open(f).read(), re.M))

FIELD = re.compile(r'^\s+(?:\w+\s+)?(\S+)\s+`(.*)`')
keep, inline = {}, []
for directory, package in dirs.items():
    for f in sources(directory):
        struct = None
        for line in open(f):
            start = re.match(r'^type (\w+) struct \{', line)
            if start:
                struct = package + '.' + start.group(1)
            elif line.startswith('}'):
                struct = None
            elif struct and FIELD.match(line):
                go_type, tag = FIELD.match(line).groups()
                wire = re.search(r'protobuf:"([^"]*)"', tag)
                json = re.search(r'json:"([^"]*)"', tag)
                if not wire or wire.group(1) == '-' or not json:
                    continue  # not on the wire, or a wrapper type the decoder knows
                base_type = go_type.lstrip('*').split('.')[-1]
                name = re.search(r'name=(\w+)', wire.group(1))
                # an embedded struct without name= is named after its type, as go-to-protobuf does
                name = name.group(1) if name else base_type[0].lower() + base_type[1:]
                _, *options = json.group(1).split(',')
                if 'inline' in options:
                    inline.append(f'inline {struct} {name}')
                elif base_type in scalars and (go_type.startswith('*') or not {'omitempty', 'omitzero'} & set(options)):
                    keep.setdefault(struct, []).append(name)

print(f'# Written by src/main/proto/json-fields.py from k8s.io/api and k8s.io/apimachinery {version}; do not edit.')
print('# keep MESSAGE FIELD...: scalars whose zero value Kubernetes JSON carries (pointers, no omitempty)')
print('# inline MESSAGE FIELD: a message field whose members sit in the parent JSON object')
for struct in sorted(keep):
    print('keep', struct, ' '.join(keep[struct]))
for line in sorted(inline):
    print(line)
