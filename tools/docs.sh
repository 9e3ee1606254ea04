#!/usr/bin/env bash
# Builds the library's documentation — one DocC archive per module, combined into one site with a landing
# page — with warnings as errors, so a broken symbol link or a bad article fails. Output: .build/docs.
#   bash tools/docs.sh [extra docc flags]
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(MLEngine MLFormats MLModels MLLosses MLData MLEvaluation MLTraining MetricLearning MLExport MLIndex MLServeRequests MLServe MLDistributed)
args=()
for target in "${targets[@]}"; do args+=(--target "$target"); done
swift package --allow-writing-to-directory .build/docs generate-documentation "${args[@]}" \
  --enable-experimental-combined-documentation --output-path .build/docs --warnings-as-errors "$@"
