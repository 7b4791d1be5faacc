#!/usr/bin/env bash
# The dynamate binary against the local AWS servers of this ctest run:
#   run.sh ENV_FILE DYNAMATE commands   # put/get/rm/gc round trips, bad input, --help
#   run.sh ENV_FILE DYNAMATE demo       # `dynamate demo` with a few pages
# ENV_FILE is written by scripts/local-aws.sh. The binary sees only the AWS
# environment conventions a user would set. Tables and buckets are created
# with boto3 (installed with moto). Any failed check prints what was expected
# and exits 1.
set -euo pipefail
env_file=$1
bin=$2
mode=${3:-commands}
set -a
# shellcheck disable=SC1090
source "$env_file"
set +a
export AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=cli AWS_SECRET_ACCESS_KEY=cli
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL AWS_DEFAULT_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
export AWS_ENDPOINT_URL_DYNAMODB="$DYNAMODB_ENDPOINT" AWS_ENDPOINT_URL_S3="$S3_ENDPOINT"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

die() { echo "FAIL: $*" >&2; exit 1; }

# run NAME ARGS...: runs the binary, keeping stdout/stderr/status in NAME.*
run() {
  local name=$1
  shift
  set +e
  "$bin" "$@" >"$name.out" 2>"$name.err"
  echo $? >"$name.rc"
  set -e
}
expect_ok() {  # NAME ARGS...
  local name=$1
  run "$@"
  [ "$(cat "$name.rc")" = 0 ] || die "$name: exit $(cat "$name.rc"), stderr: $(cat "$name.err")"
}
# expect_error NAME PATTERN ARGS...: non-zero exit, nothing on stdout, one
# line on stderr, "dynamate: ..." matching PATTERN.
expect_error() {
  local name=$1 pattern=$2
  shift 2
  run "$name" "$@"
  [ "$(cat "$name.rc")" != 0 ] || die "$name: exit 0, expected an error"
  [ ! -s "$name.out" ] || die "$name: printed on stdout: $(cat "$name.out")"
  [ "$(wc -l <"$name.err")" = 1 ] || die "$name: stderr is not one line: $(cat "$name.err")"
  grep -Eq "^dynamate: .*$pattern" "$name.err" || die "$name: stderr lacks /$pattern/: $(cat "$name.err")"
}

py() { python3 -c "$1" "${@:2}"; }
boto='
import boto3, os, sys
ddb = boto3.client("dynamodb", endpoint_url=os.environ["DYNAMODB_ENDPOINT"], region_name="us-east-1")
s3 = boto3.client("s3", endpoint_url=os.environ["S3_ENDPOINT"], region_name="us-east-1")
def keys(bucket, prefix=""):
    out = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        out += [o["Key"] for o in page.get("Contents", [])]
    return out
'
count_objects() { py "$boto"'
print(len(keys(sys.argv[1], sys.argv[2])))' "$1" "${2:-}"; }

if [ "$mode" = demo ]; then
  expect_ok demo demo --pages 3
  grep -q "^demo complete: 3 pages" demo.out || die "demo: no summary: $(cat demo.out)"
  ! grep -q FAILED demo.out || die "demo: a step failed"
  expect_error demo_range "pages" demo --pages 0
  # A failing step stops the demo: exit 1, the error on one line of stderr.
  run demo_down --endpoint http://127.0.0.1:9 demo --pages 1
  [ "$(cat demo_down.rc)" = 1 ] || die "demo_down: exit $(cat demo_down.rc)"
  [ "$(wc -l <demo_down.err)" = 1 ] || die "demo_down: stderr: $(cat demo_down.err)"
  grep -q "^dynamate: transport: " demo_down.err || die "demo_down: $(cat demo_down.err)"
  grep -q "FAILED" demo_down.out || die "demo_down: no FAILED step: $(cat demo_down.out)"
  echo "cli demo ok"
  exit 0
fi

# --help everywhere exits 0.
for cmd in "" put get rm gc demo; do
  # shellcheck disable=SC2086
  expect_ok help $cmd --help
  grep -q "Usage:" help.out || die "$cmd --help printed no usage"
done

suffix="$$-$(date +%s)"
table="cli-test-$suffix"
bucket="cli-test-$suffix"
py "$boto"'
ddb.create_table(TableName=sys.argv[1], BillingMode="PAY_PER_REQUEST",
                 KeySchema=[{"AttributeName": "site", "KeyType": "HASH"},
                            {"AttributeName": "path", "KeyType": "RANGE"}],
                 AttributeDefinitions=[{"AttributeName": "site", "AttributeType": "S"},
                                       {"AttributeName": "path", "AttributeType": "S"}])
s3.create_bucket(Bucket=sys.argv[2])' "$table" "$bucket"
cleanup() {
  py "$boto"'
for k in keys(sys.argv[2]): s3.delete_object(Bucket=sys.argv[2], Key=k)
s3.delete_bucket(Bucket=sys.argv[2])
ddb.delete_table(TableName=sys.argv[1])' "$table" "$bucket" || true
  rm -rf "$work"
}
trap cleanup EXIT

key='{"site":{"S":"python.org"},"path":{"S":"/a b/é"}}'
item='{"site":{"S":"python.org"},"path":{"S":"/a b/é"},"title":{"S":"Welcome"},"visits":{"N":"7"}}'
python3 -c 'print("<p>hello python</p>" * 4000)' >page.html
head -c 300000 /dev/urandom >cover.bin
head -c 1000 /dev/urandom >cover2.bin

# put + get round trip: values in S3 (gzip), the item holds their URIs.
expect_ok put1 put "$table" --item "$item" --large html=@page.html --large cover=@cover.bin \
  --bucket "$bucket" --prefix pages/ --codec gzip
grep -q "\"html\":{\"S\":\"s3://$bucket/pages/" put1.out || die "put printed: $(cat put1.out)"
[ "$(count_objects "$bucket" pages/)" = 2 ] || die "put1: expected 2 objects"
expect_ok get1 get "$table" --key "$key" --out html=html.out --out cover=cover.out
cmp -s html.out page.html || die "get1: html differs"
cmp -s cover.out cover.bin || die "get1: cover differs"
grep -q '"visits":{"N":"7"}' get1.out || die "get1 printed: $(cat get1.out)"
[ "$(wc -l <get1.out)" = 1 ] || die "get1: not one line of JSON"
ls ./*.tmp 2>/dev/null && die "get1 left a temporary file"

# A second put replaces the item: the old objects are deleted (zstd, one value).
printf '{"site":{"S":"python.org"},"path":{"S":"/a b/é"}}' >key.json
expect_ok put2 put "$table" --item @key.json --large cover=@cover2.bin --bucket "$bucket" \
  --prefix pages/ --codec zstd
[ "$(count_objects "$bucket" pages/)" = 1 ] || die "put2: expected the 2 old objects gone"
expect_ok get2 get "$table" --key @key.json --out cover=cover2.out
cmp -s cover2.out cover2.bin || die "get2: cover differs"
grep -q '"html"' get2.out && die "get2: html still there: $(cat get2.out)"
# --if-absent refuses to replace it; nothing is left behind.
expect_error put3 "condition_failed" put "$table" --item "$item" --large html=@page.html \
  --bucket "$bucket" --prefix pages/ --if-absent
[ "$(count_objects "$bucket" pages/)" = 1 ] || die "put3 left an object behind"

# rm: the item, then its objects.
expect_ok rm1 rm "$table" --key "$key" --large cover
grep -q '"cover":{"S":"s3://' rm1.out || die "rm printed: $(cat rm1.out)"
[ "$(count_objects "$bucket" pages/)" = 0 ] || die "rm1: objects left"
expect_error rm2 "not_found: no item in table $table" rm "$table" --key "$key" --large cover

# gc: an orphan under the prefix is found (dry run keeps it), spared while
# recent, then deleted; referenced objects stay.
expect_ok put4 put "$table" --item "$item" --large html=@page.html --bucket "$bucket" \
  --prefix pages/
py "$boto"'
s3.put_object(Bucket=sys.argv[1], Key="pages/orphan", Body=b"left by a crash")' "$bucket"
expect_ok gc1 gc "$table" --bucket "$bucket" --prefix pages/ --large html,cover --grace 0 --dry-run
grep -q "^would delete pages/orphan$" gc1.out || die "gc1: $(cat gc1.out)"
[ "$(grep -c "would delete" gc1.out)" = 1 ] || die "gc1 would delete too much: $(cat gc1.out)"
grep -q "gc: " gc1.err || die "gc1: no progress on stderr"
[ "$(count_objects "$bucket" pages/)" = 2 ] || die "gc1 (dry run) deleted something"
expect_ok gc2 gc "$table" --bucket "$bucket" --prefix pages/ --large html,cover --grace 3600
grep -q " 0 orphans deleted" gc2.out || die "gc2 took a recent object: $(cat gc2.out)"
expect_ok gc3 gc "$table" --bucket "$bucket" --prefix pages/ --large html,cover --grace 0
grep -q "^deleted pages/orphan$" gc3.out || die "gc3: $(cat gc3.out)"
[ "$(count_objects "$bucket" pages/)" = 1 ] || die "gc3: expected the referenced object only"
expect_ok get4 get "$table" --key "$key" --out html=html4.out
cmp -s html4.out page.html || die "get4: html differs after gc"
expect_ok rm4 rm "$table" --key "$key"
[ "$(count_objects "$bucket" pages/)" = 0 ] || die "rm4: objects left"

# Bad input: one line on stderr, non-zero exit, nothing written.
expect_error bad_table "not_found: .*table \"no-such-table-$suffix\" does not exist" \
  put "no-such-table-$suffix" --item "$item" --bucket "$bucket"
expect_error bad_json "invalid_argument: --item is not an item in DynamoDB JSON" \
  put "$table" --item '{"site": "python.org"}' --bucket "$bucket"
expect_error bad_key "has no key attribute \"path\"" \
  put "$table" --item '{"site":{"S":"x"}}' --bucket "$bucket"
expect_error key_large "invalid_argument: large attribute \"path\" is a key attribute" \
  put "$table" --item "$item" --large path=@page.html --bucket "$bucket"
expect_error no_at "expected NAME=@FILE" \
  put "$table" --item "$item" --large html=page.html --bucket "$bucket"
expect_error no_file "$work/missing.html" \
  put "$table" --item "$item" --large html=@"$work/missing.html" --bucket "$bucket"
expect_error no_bucket "not_found" \
  put "$table" --item "$item" --large html=@page.html --bucket "no-such-bucket-$suffix"
expect_error gone "not_found: no item in table" get "$table" --key "$key"
expect_error missing_arg "--bucket is required" put "$table" --item "$item"
expect_error bad_codec "codec" put "$table" --item "$item" --bucket "$bucket" --codec lz4
expect_error unknown_option "not expected" get "$table" --key "$key" --bogus
expect_ok plain put "$table" --item "$item" --bucket "$bucket"
expect_error not_uri "schema_mismatch: .*attribute \"title\".* is not an S3 object URI" \
  get "$table" --key "$key" --out title=title.out
[ ! -e title.out ] || die "not_uri wrote a file"
# (gc prints progress on stderr first: its last line is the error)
run gc_table gc "no-such-table-$suffix" --bucket "$bucket" --prefix x/ --large html --grace 0
[ "$(cat gc_table.rc)" != 0 ] || die "gc_table: exit 0"
tail -n 1 gc_table.err | grep -q "^dynamate: not_found" || die "gc_table: $(cat gc_table.err)"
[ "$(count_objects "$bucket")" = 0 ] || die "bad input left objects behind"

# --endpoint and --region override the environment.
expect_error endpoint "transport" --endpoint http://127.0.0.1:9 get "$table" --key "$key"
(unset AWS_REGION; expect_ok region get "$table" --key "$key" --region us-east-1)
echo "cli commands ok"
