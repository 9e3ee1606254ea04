#!/usr/bin/env bash
# Installs the Debian packages the package builds and runs against (idempotent; needs root or sudo).
set -euo pipefail
packages=(libdnnl-dev libturbojpeg0-dev libpng-dev zlib1g-dev dataset-fashion-mnist
  python3-venv  # python3-venv: the ONNX export check's pinned onnx/onnxruntime venv (tools/export/check.sh)
  libopenmpi-dev openmpi-bin)  # MPI: dml under mpirun, MLDistributed and its tests
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
