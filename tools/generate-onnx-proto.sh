#!/usr/bin/env bash
# Regenerates Sources/MLExport/Protobuf/onnx.pb.swift, the Swift types of ONNX's protobuf messages, from
# Debian libonnx-dev's onnx.proto with protobuf-compiler's protoc and swift-protobuf's protoc-gen-swift.
#
#   bash tools/generate-onnx-proto.sh [PROTOC_GEN_SWIFT]
#
# The plugin must come from the swift-protobuf version Package.swift pins (1.39.0), since the generated
# code targets that runtime. Without an argument the script builds it once (about 10 minutes, 2 cores)
# outside the repository, in $DML_TOOLS (default ~/.cache/dml-tools). CI never runs this: the generated
# file is committed and only the SwiftProtobuf runtime library is built.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.39.0
proto_root=/usr/include
proto=onnx/onnx.proto
out=Sources/MLExport/Protobuf

[ -f "$proto_root/$proto" ] || { echo "no $proto_root/$proto: apt-get install libonnx-dev" >&2; exit 1; }
command -v protoc >/dev/null || { echo "no protoc: apt-get install protobuf-compiler" >&2; exit 1; }

plugin=${1:-}
if [ -z "$plugin" ]; then
  tools=${DML_TOOLS:-$HOME/.cache/dml-tools}
  source_dir=$tools/swift-protobuf-$version
  plugin=$source_dir/.build/release/protoc-gen-swift
  if [ ! -x "$plugin" ]; then
    mkdir -p "$tools"
    [ -d "$source_dir" ] || git clone --quiet --depth 1 --branch "$version" \
      https://github.com/apple/swift-protobuf "$source_dir"
    swift build -c release --package-path "$source_dir" --product protoc-gen-swift
  fi
fi
"$plugin" --version | grep -q "$version" || { echo "$plugin is not protoc-gen-swift $version" >&2; exit 1; }

mkdir -p "$out"
# Internal visibility: the messages are MLExport's implementation, not its API.
protoc --plugin=protoc-gen-swift="$plugin" -I "$proto_root" \
  --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath --swift_out="$out" "$proto"
echo "$out/onnx.pb.swift from $proto_root/$proto (libonnx-dev $(dpkg-query -W -f '${Version}' libonnx-dev 2>/dev/null || echo '?'))"
