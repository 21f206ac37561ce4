# Shared by the benchmark scripts: every page needs an account now.
#
# bench_token BIN DB_URL: makes sure the database has the administrator `bench` (serve
# refuses a database without one) and prints a new read token of it, for
# `Authorization: Bearer …` on every request.
bench_token() {
  printf 'bench-password-2026\n' | "$1" user add bench --role admin --by bench --db "$2" >/dev/null 2>&1 || true
  "$1" token create bench --name bench --scope read --by bench --db "$2" 2>/dev/null
}
