#!/usr/bin/env bash
# Large single migrations: time in the human and compact formats, and peak memory, for
# one release file of 1, 10 and 50 MB, of two kinds:
#   data: inserts with one `UPDATE` without `WHERE` (a finding) per hundred statements;
#   ddl:  schema statements only, `ALTER TABLE tN ADD COLUMN cI integer;` and
#         `CREATE INDEX CONCURRENTLY ixI ON tN (cI);` spread over 50 tables (thousands of
#         columns and indexes per table, every statement a change the engine follows).
# Prints one line per run, and first for each kind its fixed base: the peak of a
# 1 KB release file of the same kind (median of three runs), which the bound (at most 10 times the input
# above the base) is measured from.
# Usage: benches/large_migrations.sh [path/to/canary-lint] [sizes in MB...]
# KINDS="data ddl" (the default) chooses the kinds.
# Build first, with the benchmark-only feature that reports peak memory, e.g.:
#   CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 cargo build --release --features bench-stats
set -euo pipefail
bin=${1:-target/release/canary-lint}
shift || true
sizes=${*:-1 10 50}
kinds=${KINDS:-data ddl}
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Writes a migration folder of `kind` whose release file has about `bytes` bytes.
generate() {
  local kind=$1 bytes=$2 dir=$3
  mkdir -p "$dir"
  case $kind in
    data)
      printf 'CREATE TABLE users (id int PRIMARY KEY, email text, name text);\n' > "$dir/V1__init.sql"
      # 99 data statements, then one that is a finding (unbounded-update), until the size.
      awk -v bytes="$bytes" 'BEGIN {
        n = 0; size = 0;
        while (size < bytes) {
          if (n % 100 == 99) line = "UPDATE users SET name = NULL;";
          else line = sprintf("INSERT INTO users (id, email, name) VALUES (%d, '\''u%d@example.com'\'', '\''user %d'\'');", n, n, n);
          print line; size += length(line) + 1; n++;
        }
      }' > "$dir/V2__big.sql"
      ;;
    ddl)
      awk 'BEGIN { for (t = 0; t < 50; t++) printf "CREATE TABLE t%d (id int PRIMARY KEY);\n", t }' \
        > "$dir/V1__init.sql"
      awk -v bytes="$bytes" 'BEGIN {
        n = 0; size = 0;
        while (size < bytes) {
          t = n % 50;
          a = sprintf("ALTER TABLE t%d ADD COLUMN c%d integer;", t, n);
          b = sprintf("CREATE INDEX CONCURRENTLY ix%d ON t%d (c%d);", n, t, n);
          print a; print b; size += length(a) + length(b) + 2; n++;
        }
      }' > "$dir/V2__big.sql"
      ;;
    *) echo "unknown kind $kind" >&2; exit 2 ;;
  esac
}

# Peak RSS in KiB and wall time of `check` on the folder `$1` (the parent of `db`)
# in format `$2`, on one line; the output is left in $work/out.txt.
peak() {
  local out
  out=$( { cd "$1" && CANARY_LINT_STATS=1 /usr/bin/time -f 'wall_s=%e' \
    "$bin" check db --format "$2" --fail-on never > "$work/out.txt"; } 2>&1 )
  printf '%s %s\n' "$(sed -n 's/.*peak_rss_kib=\([0-9]*\).*/\1/p' <<<"$out")" \
    "$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<<"$out")"
}

for kind in $kinds; do
  # The fixed base of this kind: the same statements, 1 KB of them (the code
  # paths they take are part of the base, not of the input's share).
  generate "$kind" 1024 "$work/$kind-base/db"
  # The median of three runs: one run varies by a few hundred KiB.
  base=$(for _ in 1 2 3; do peak "$work/$kind-base" compact; done | sort -n | sed -n '2s/ .*//p')
  printf 'kind=%s base: size_bytes=%s peak_rss_mib=%s\n' "$kind" \
    "$(wc -c < "$work/$kind-base/db/V2__big.sql")" "$(awk -v r="$base" 'BEGIN { printf "%.1f", r / 1024 }')"
  for mb in $sizes; do
    dir=$work/$kind-$mb/db
    generate "$kind" $((mb * 1024 * 1024)) "$dir"
    actual=$(wc -c < "$dir/V2__big.sql")
    for fmt in compact human; do
      read -r rss wall < <(peak "$work/$kind-$mb" "$fmt")
      if [ "$kind" = data ]; then
        findings=$(grep -c 'unbounded-update' "$work/out.txt" || true)
      else
        findings=$(grep -cE '(error|warning|note)\[[a-z-]+\]|: (error|warning|note): .*\[[a-z-]+\]$' "$work/out.txt" || true)
      fi
      # ratio_to_input: the whole peak over the input; above_base: the part above
      # this kind's base over the input (the bound is 10).
      printf 'kind=%s size_bytes=%s format=%s findings=%s wall_s=%s peak_rss_mib=%s ratio_to_input=%s above_base=%s\n' \
        "$kind" "$actual" "$fmt" "$findings" "$wall" "$(awk -v r="$rss" 'BEGIN { printf "%.1f", r / 1024 }')" \
        "$(awk -v r="$rss" -v b="$actual" 'BEGIN { printf "%.1f", r * 1024 / b }')" \
        "$(awk -v r="$rss" -v z="$base" -v b="$actual" 'BEGIN { printf "%.2f", (r - z) * 1024 / b }')"
    done
  done
done
