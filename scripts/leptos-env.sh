# Sourced by the scripts: the environment cargo-leptos 0.3.11 sets while compiling (see
# `cargo leptos build -vv`). Plain cargo commands get the same values so that clippy, the tests
# and the site build reuse one set of artifacts instead of rebuilding each other's.
export LEPTOS_OUTPUT_NAME=ocm LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg
export LEPTOS_SITE_ADDR=127.0.0.1:3000 LEPTOS_RELOAD_PORT=3001 LEPTOS_LIB_DIR=app LEPTOS_BIN_DIR=server
export LEPTOS_JS_MINIFY=false LEPTOS_HASH_FILES=false RUSTFLAGS="--cfg erase_components"
export SQLX_OFFLINE=true
