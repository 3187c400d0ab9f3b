#!/usr/bin/env bash
# Sample S3 data for the demo, made with the aws CLI on the server at $SI_S3_ENDPOINT:
# a versioned bucket with prefixes, four versions of an age-encrypted gzip config, one deleted
# object (delete marker on top), and plain objects.
#   scripts/demo-s3.sh [WORKDIR] [AGE_RECIPIENT]
# Without a recipient a fresh key is made in WORKDIR/demo-s3-key.txt (import it with
# "Storage: Import age Identity" to open the encrypted versions).
set -euo pipefail
: "${SI_S3_ENDPOINT:?set SI_S3_ENDPOINT (scripts/moto.sh run ...)}"
WORK="${1:-$(mktemp -d)}"
RECIPIENT="${2:-}"
BUCKET="${DEMO_S3_BUCKET:-demo-versioned}"
mkdir -p "$WORK"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}" AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-us-east-1}"
aws() { /usr/bin/aws --endpoint-url "$SI_S3_ENDPOINT" --output text "$@"; }

if [ -z "$RECIPIENT" ]; then
  /usr/bin/age-keygen -o "$WORK/demo-s3-key.txt" 2>/dev/null
  RECIPIENT=$(/usr/bin/age-keygen -y "$WORK/demo-s3-key.txt")
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

aws s3api create-bucket --bucket "$BUCKET" >/dev/null
aws s3api put-bucket-versioning --bucket "$BUCKET" --versioning-configuration Status=Enabled

# Four versions of an encrypted config: each edit is a new version.
for i in 1 2 3 4; do
  printf '{\n  "service": "billing",\n  "replicas": %d,\n  "featureFlags": {"newCheckout": %s}\n}\n' "$i" "$([ "$i" -ge 3 ] && echo true || echo false)" > "$tmp/config.json"
  /usr/bin/gzip -c "$tmp/config.json" | /usr/bin/age -r "$RECIPIENT" > "$tmp/config.json.gz.age"
  aws s3api put-object --bucket "$BUCKET" --key "services/billing/config.json.gz.age" --body "$tmp/config.json.gz.age" --content-type application/octet-stream --metadata "edit=$i" >/dev/null
done

# Plain objects under a few prefixes.
for svc in billing search; do
  printf 'service %s notes\n' "$svc" > "$tmp/README.md"
  aws s3api put-object --bucket "$BUCKET" --key "services/$svc/README.md" --body "$tmp/README.md" >/dev/null
done
for d in 01 02 03; do
  printf '{"day": "2026-11-%s", "events": %d}\n' "$d" "$((10#$d * 100))" | /usr/bin/gzip -c > "$tmp/log.json.gz"
  aws s3api put-object --bucket "$BUCKET" --key "logs/2026/11/$d.json.gz" --body "$tmp/log.json.gz" >/dev/null
done

# A deleted object: two versions, then a delete marker ("Show Deleted Objects" finds it).
for i in 1 2; do
  printf 'secret rotation schedule v%d\n' "$i" > "$tmp/rotation.txt"
  aws s3api put-object --bucket "$BUCKET" --key "services/search/rotation.txt" --body "$tmp/rotation.txt" >/dev/null
done
aws s3api delete-object --bucket "$BUCKET" --key "services/search/rotation.txt" >/dev/null

# A connection for the settings; its credentials come from the default chain (the environment).
cat > "$WORK/demo-s3-connection.json" <<JSON
[{ "id": "demo", "name": "Demo (local S3)", "endpoint": "$SI_S3_ENDPOINT", "region": "us-east-1", "forcePathStyle": true }]
JSON
echo "demo-s3: s3://$BUCKET on $SI_S3_ENDPOINT ($(aws s3api list-object-versions --bucket "$BUCKET" --query 'length(Versions)') versions, $(aws s3api list-object-versions --bucket "$BUCKET" --query 'length(DeleteMarkers)') delete marker)"
