#!/usr/bin/env bash
# Installs what dynamate's build, tests and demo need and the machine lacks,
# from Debian packages only (run as root on Debian 12). DynamoDB Local comes
# from npm at a pinned version, installed on first use by scripts/local-aws.sh.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git curl ca-certificates python3
  libcurl4-openssl-dev libssl-dev libsimdjson-dev libpugixml-dev zlib1g-dev libzstd-dev
  libcli11-dev libgtest-dev libgmock-dev libbenchmark-dev clang-format
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Runtimes for the local AWS servers: keep what is there (the image may ship
# its own node or java), install Debian's otherwise.
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v moto_server >/dev/null || missing+=(python3-moto python3-boto3)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
