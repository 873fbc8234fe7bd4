#!/usr/bin/env bash
# Panier — les deux commandes du projet.
#
#   ./dev.sh run    installe ce qui manque, construit en release et sert
#                   l'application sur http://127.0.0.1:8080
#   ./dev.sh build  installe ce qui manque et construit le site statique
#                   dans dist/ (ce que publie le workflow GitHub Pages)
#   ./dev.sh test   installe aussi Chromium + chromedriver, puis lance toutes
#                   les vérifications : rustfmt, clippy (natif et wasm32),
#                   documentation sans lien cassé, tests natifs,
#                   wasm-bindgen-test dans Chromium headless, tests de
#                   bout en bout Playwright sur la build release.
#
# Idempotent : une fois tout installé, rien n'est réinstallé. Rien n'est
# téléchargé hors des registres de paquets (crates.io, npm, Debian) : Trunk
# est en mode hors ligne et utilise wasm-bindgen-cli et wasm-opt installés ici.
set -euo pipefail
cd "$(dirname "$0")"

TRUNK_VERSION="0.21.14"
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

# Version de wasm-bindgen fixée par Cargo.lock : la CLI doit être identique.
locked_wasm_bindgen() {
  awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

apt_install() {
  step "apt-get install $*"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@"
}

ensure_build_tools() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
  if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
    step "cargo install trunk $TRUNK_VERSION"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  local bindgen
  bindgen="$(locked_wasm_bindgen)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen\$"; then
    # Sans --locked : une dépendance épinglée par la CLI a disparu de l'index.
    step "cargo install wasm-bindgen-cli $bindgen"
    cargo install wasm-bindgen-cli --version "$bindgen" --force
  fi
  if ! command -v npm >/dev/null 2>&1; then apt_install nodejs npm; fi
  # binaryen (wasm-opt 132) et playwright-core, aux versions du package-lock.json.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    step "npm ci"
    npm ci --no-audit --no-fund
  fi
  cargo fetch --locked >/dev/null
}

ensure_browser() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    apt_install chromium chromium-driver
  fi
}

# Données et références de parité, hors du dépôt (toujours présentes en CI).
has_shared() {
  [ -d ../shared/reference ] && [ -d ../shared/data ]
}

# Tests Rust marqués #[ignore = "needs ../shared"], sous la forme fichier::nom.
needs_shared_tests() {
  awk '/#\[ignore = "needs \.\.\/shared/ { want = 1; next }
       want && match($0, /fn [A-Za-z0-9_]+/) {
         print FILENAME "::" substr($0, RSTART + 3, RLENGTH - 3); want = 0
       }' crates/*/tests/*.rs
}

run() {
  ensure_build_tools
  step "trunk serve --release → http://127.0.0.1:8080/"
  exec trunk serve --release --address 127.0.0.1 --port 8080
}

# La build que publie GitHub Pages (.github/workflows/pages.yml) : la même
# commande que celle que `test_all` teste.
build() {
  ensure_build_tools
  step "trunk build --release → dist/"
  trunk build --release
}

test_all() {
  local skipped="" count=""
  ensure_build_tools
  ensure_browser
  step "rustfmt"
  cargo fmt --all -- --check
  step "clippy (natif)"
  cargo clippy --workspace --all-targets --locked -- -D warnings
  step "clippy (wasm32)"
  cargo clippy -p panier-web --target wasm32-unknown-unknown --all-targets --locked -- -D warnings
  step "documentation (liens vérifiés)"
  RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --locked
  step "tests natifs"
  # Les tests qui lisent ../shared (parité avec la référence pandas, fichiers
  # Online Retail et Groceries) sont marqués #[ignore = "needs ../shared"] :
  # lancés ici dès que ../shared est là, et alors ils échouent si un fichier
  # manque ; sinon ils apparaissent « ignored » et sont listés ci-dessous.
  if has_shared; then
    cargo test --workspace --locked -- --include-ignored
  else
    cargo test --workspace --locked
    skipped="$(needs_shared_tests)"
    count="$(printf '%s\n' "$skipped" | grep -c . || true)"
    {
      printf '\n\033[1;33mATTENTION : ../shared/reference ou ../shared/data absent.\033[0m\n'
      printf '%s tests Rust qui en ont besoin n’ont PAS tourné (« ignored » ci-dessus) :\n' "$count"
      printf '%s\n' "$skipped" | sed 's/^/  /'
      printf 'Les tests de bout en bout qui en ont besoin seront « skipped ».\n'
    } >&2
  fi
  step "wasm-bindgen-test dans Chromium headless"
  CHROMEDRIVER="$(command -v chromedriver)" \
    cargo test -p panier-web --target wasm32-unknown-unknown --test web --locked
  step "build release (trunk)"
  trunk build --release
  step "tests de bout en bout (Playwright + Chromium)"
  PANIER_CLI="$PWD/target/debug/panier" node --test e2e/
  if [ -n "$count" ]; then
    printf '\n\033[1;33mRAPPEL : ../shared absent, %s tests Rust (et les tests de bout en bout\n' "$count" >&2
    printf 'correspondants) n’ont PAS tourné : parité et Online Retail non vérifiées.\033[0m\n' >&2
  fi
}

case "${1:-}" in
  run) run ;;
  build) build ;;
  test) test_all ;;
  *)
    echo "usage : ./dev.sh run | ./dev.sh build | ./dev.sh test" >&2
    exit 2
    ;;
esac
