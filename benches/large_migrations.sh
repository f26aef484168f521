#!/usr/bin/env bash
# Large single migrations: time in the human and compact formats, and peak memory, for
# one release file of 1, 10 and 50 MB (thousands of findings each). Prints one line per
# run. Usage: benches/large_migrations.sh [path/to/canary-lint] [sizes in MB...]
# Build first, with the benchmark-only feature that reports peak memory, e.g.:
#   CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo build --release --features bench-stats
set -euo pipefail
bin=${1:-target/release/canary-lint}
shift || true
sizes=${*:-1 10 50}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for mb in $sizes; do
  dir=$work/$mb/db
  mkdir -p "$dir"
  printf 'CREATE TABLE users (id int PRIMARY KEY, email text, name text);\n' > "$dir/V1__init.sql"
  # 99 data statements, then one that is a finding (unbounded-update), until the size.
  awk -v bytes=$((mb * 1024 * 1024)) 'BEGIN {
    n = 0; size = 0;
    while (size < bytes) {
      if (n % 100 == 99) line = "UPDATE users SET name = NULL;";
      else line = sprintf("INSERT INTO users (id, email, name) VALUES (%d, '\''u%d@example.com'\'', '\''user %d'\'');", n, n, n);
      print line; size += length(line) + 1; n++;
    }
  }' > "$dir/V2__big.sql"
  actual=$(wc -c < "$dir/V2__big.sql")
  for fmt in compact human; do
    out=$( { cd "$work/$mb" && CANARY_LINT_STATS=1 /usr/bin/time -f 'wall_s=%e' \
      "$bin" check db --format "$fmt" --fail-on never > "$work/out.txt"; } 2>&1 )
    findings=$(grep -c 'unbounded-update' "$work/out.txt" || true)
    rss=$(sed -n 's/.*peak_rss_kib=\([0-9]*\).*/\1/p' <<<"$out")
    wall=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$out")
    printf 'size_bytes=%s format=%s findings=%s wall_s=%s peak_rss_mib=%s ratio_to_input=%s\n' \
      "$actual" "$fmt" "$findings" "$wall" "$((rss / 1024))" \
      "$(awk -v r="$rss" -v b="$actual" 'BEGIN { printf "%.1f", r * 1024 / b }')"
  done
done
