#!/usr/bin/env bash
# The main job: install what is missing, build, start local AWS (DynamoDB Local
# and moto's S3 on free loopback ports), run `dynamate demo` against them, and
# stop the servers. Extra arguments go to `dynamate demo`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" "$root/build" -DDYNAMATE_BUILD_TESTS=OFF -DDYNAMATE_BUILD_BENCH=OFF

aws_dir="$root/build/demo-aws"
trap 'bash "$root/scripts/local-aws.sh" stop "$aws_dir"' EXIT
bash "$root/scripts/local-aws.sh" start "$aws_dir"
set -a; . "$aws_dir/env"; set +a

AWS_ENDPOINT_URL_DYNAMODB=$DYNAMODB_ENDPOINT AWS_ENDPOINT_URL_S3=$S3_ENDPOINT \
AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo \
AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  "$root/build/tools/cli/dynamate" demo "$@"
