#!/usr/bin/env bash
# Installs the Debian packages the package builds and runs against (idempotent; needs root or sudo).
set -euo pipefail
packages=(libdnnl-dev libturbojpeg0-dev libpng-dev zlib1g-dev dataset-fashion-mnist
  # python3-venv: the ONNX export check's pinned onnx/onnxruntime venv (tools/export/check.sh)
  python3-venv
  # Gallery indexes (MLIndex's CANN shim): faiss 1.7.3 (static, needs OpenBLAS) and hnswlib 0.6 (headers).
  libfaiss-dev libopenblas-dev libhnswlib-dev
  # The service's browser test (WebDriver) and a second load generator for dml bench serve's figures.
  chromium chromium-driver wrk
  # MPI: dml under mpirun, MLDistributed and its tests
  libopenmpi-dev openmpi-bin)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
