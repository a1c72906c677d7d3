#!/bin/sh
# An "external" node for --node-command tests: a shell script that is not the
# harness, taking only the config path (docs/node-contract.md §1), which
# happens to exec the reference node. Usage: sh external-node.sh CONFIG
set -eu
[ $# -eq 1 ] || { echo "usage: external-node.sh CONFIG" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
exec "${PQC_NODE_BINARY:-node}" "$here/../../bin/pqc-harness.mjs" node --config "$1" --exit-with-parent
