#!/usr/bin/env bash
# Runs one example program against the local AWS servers of this ctest run:
#   run.sh ENV_FILE PROGRAM [ARGS...]
# ENV_FILE is written by scripts/local-aws.sh (DYNAMODB_ENDPOINT, S3_ENDPOINT).
# The example sees only the AWS environment conventions a user would set.
set -euo pipefail
env_file=$1
shift
# shellcheck disable=SC1090
source "$env_file"
export AWS_REGION=us-east-1
export AWS_ACCESS_KEY_ID=example AWS_SECRET_ACCESS_KEY=example
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
export AWS_ENDPOINT_URL_DYNAMODB="$DYNAMODB_ENDPOINT" AWS_ENDPOINT_URL_S3="$S3_ENDPOINT"
exec "$@"
