#!/usr/bin/env bash
# `npm test`: the whole suite with real parts. Provides what the tests need and a desktop would have:
# a Secret Service keychain (gnome-keyring in a private D-Bus session), an X screen (Xvfb) and a
# PulseAudio null sink, all inside a throwaway HOME so nothing touches the user's own.
set -euo pipefail
cd "$(dirname "$0")/.."
# Node 20 here: the AWS SDK's end-of-support notice would print in every test process. Its documented
# switch (aws/aws-sdk-js-v3#7983) silences it for the test run only; the studio itself is unchanged.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true

if [ -z "${STUDIO_TEST_SESSION:-}" ]; then
  export STUDIO_TEST_SESSION=1
  sandbox=$(mktemp -d /tmp/ivs-studio-test.XXXXXX)
  mkdir -p "$sandbox/home" "$sandbox/data" "$sandbox/run"
  chmod 700 "$sandbox/run"
  export STUDIO_TEST_SANDBOX="$sandbox"
  # Keep npm's cache where it was, though HOME moves into the sandbox.
  export npm_config_cache="${npm_config_cache:-$(npm config get cache)}"
  export HOME="$sandbox/home" XDG_DATA_HOME="$sandbox/data" XDG_RUNTIME_DIR="$sandbox/run" XDG_CONFIG_HOME="$sandbox/home/.config"
  trap 'rm -rf "$sandbox"' EXIT
  exec dbus-run-session -- bash "$0" "$@"
fi

# Inside the D-Bus session from here on.
echo -n studio-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
cleanup=()
trap 'for pid in "${cleanup[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT

if [ -z "${DISPLAY:-}" ] && command -v Xvfb >/dev/null; then
  display=":$((90 + RANDOM % 100))"
  Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
  cleanup+=($!)
  export DISPLAY="$display"
fi
if command -v pulseaudio >/dev/null; then
  pulseaudio -n --daemonize=no --exit-idle-time=-1 --disable-shm \
    -L 'module-null-sink sink_name=studio_null' -L 'module-native-protocol-unix' >/dev/null 2>&1 &
  cleanup+=($!)
  export STUDIO_TEST_PULSE_SOURCE=studio_null.monitor
fi
# Give the X server and PulseAudio a moment to accept clients; tests that need them wait further.
for _ in $(seq 1 50); do
  { [ -z "${DISPLAY:-}" ] || xdpyinfo >/dev/null 2>&1; } && break
  sleep 0.1
done

echo "== typecheck"
npx tsc -p tsconfig.node.json --noEmit
npx tsc -p tsconfig.web.json --noEmit
npx tsc -p tsconfig.test.json --noEmit
echo "== build"
npm run --silent build
echo "== unit and integration tests (vitest)"
npx vitest run "$@"
# STUDIO_TEST_E2E=0 skips the browser suite (handy with a vitest filter: `STUDIO_TEST_E2E=0 npm test -- <file>`).
if [ "${STUDIO_TEST_E2E:-1}" != 0 ] && [ -d test/e2e ] && ls test/e2e/*.spec.ts >/dev/null 2>&1; then
  echo "== end-to-end tests (playwright, Debian chromium)"
  npx playwright test
fi
echo "== npm test: all passed"
