# The custom images from an apps.json (issue 15): images/custom and images/layered built with the
# apps_json BuildKit secret naming apps/library_management by an HTTP git URL that carries a
# token, on the suite's test image; the stacks below run the custom one with both apps. Then
# proof, for each, that the token is in no build log line, history entry, label or file.
# Sourced by run.sh.

CUSTOM_IMAGE_CHECK=sb-custom-check:test
LAYERED_IMAGE_CHECK=sb-layered-check:test
# A token as a private repository's URL would carry; nothing serving the repository checks it.
APPS_TOKEN="ghp_sbct$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# The example app as a bare repository, served by a static HTTP server on the Docker bridge
# (git's dumb protocol) for the build's RUN steps to clone.
serve_app_repo() {
  local src=$work/app-src/library_management repo=$work/git/library_management.git
  mkdir -p "$src" "$work/git"
  tar -C apps/library_management --exclude=bin --exclude=obj -c . | tar -C "$src" -x
  git -C "$src" init -q --initial-branch main \
    && git -C "$src" add -A \
    && git -C "$src" -c user.email=ct@sharpbench.invalid -c user.name=ct commit -q -m library_management \
    && git clone -q --bare "$src" "$repo" \
    && git -C "$repo" update-server-info || return 1
  APPS_PORT=$(free_port)
  setsid python3 -m http.server --bind 0.0.0.0 --directory "$work/git" "$APPS_PORT" >"$work/http.log" 2>&1 &
  echo $! >"$work/http.pid"
  APPS_GW=$(docker network inspect bridge -f '{{(index .IPAM.Config 0).Gateway}}')
  printf '[{"url": "http://sb-ci:%s@%s:%s/library_management.git", "branch": "main"}]\n' "$APPS_TOKEN" "$APPS_GW" "$APPS_PORT" >"$work/apps.json"
}

# build_apps_image CONTAINERFILE IMAGE LOG BUILD-ARG...: the image from the apps.json secret, with
# the app's build and asset in it.
build_apps_image() {
  local file=$1 image=$2 log=$3 start=$SECONDS rc
  shift 3
  kill -0 "$(cat "$work/http.pid" 2>/dev/null)" 2>/dev/null || { echo "the app's repository is not served (serve_app_repo)"; return 1; }
  docker buildx build --load --progress plain -f "$file" --secret id=apps_json,src="$work/apps.json" \
    "$@" --build-arg CACHE_BUST="$(date +%s)" -t "$image" . >"$log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || { grep -v '^#[0-9]* sha256' "$log" | tail -30; return 1; }
  docker run --rm --entrypoint sh "$image" -c 'test -f apps/library_management/bin/library_management.dll && test -f assets/library_management/js/library.js && grep -qx library_management sites/apps.txt' \
    || { echo "the image lacks the app's build, its asset or its line in sites/apps.txt"; return 1; }
  echo "$image built in $((SECONDS - start)) s; the log shows: $(grep -o 'Cloning http://\*\*\*@[^ ]*' "$log" | head -1)"
}

# images/custom: the production image under test (the test image) plus the app, compiled on the
# SDK stand-in. The stacks run this image.
build_custom_image() {
  build_apps_image images/custom/Containerfile "$CUSTOM_IMAGE_CHECK" "$work/custom-build.log" \
    --build-arg SHARPBENCH_IMAGE="$TEST_IMAGE"
}

# images/layered: the same app on the SDK stage image (bake target build, from this checkout;
# its stages come from build-local.sh's cache) and the test image. Built and searched, not run:
# the runtime side is the same as custom's.
build_layered_image() {
  docker buildx bake -f docker-bake.hcl build --load >"$work/bake-build.log" 2>&1 || { tail -20 "$work/bake-build.log"; return 1; }
  build_apps_image images/layered/Containerfile "$LAYERED_IMAGE_CHECK" "$work/layered-build.log" \
    --build-arg BUILD_IMAGE=sharpbench/build:latest --build-arg SHARPBENCH_IMAGE="$TEST_IMAGE"
}

stop_app_repo() {
  [ -f "$work/http.pid" ] && kill "$(cat "$work/http.pid")" 2>/dev/null
  rm -f "$work/http.pid"
}

# The token must be nowhere: the build's log, the image's history (every RUN line), its config
# and labels, and every file in it. token_nowhere IMAGE LOG
token_nowhere() {
  local image=$1 log=$2 found
  [ -s "$log" ] || { echo "no build log: the image was not built"; return 1; }
  grep -q "$APPS_TOKEN" "$log" && { echo "the token is in the build log"; return 1; }
  grep -q 'http://\*\*\*@' "$log" || { echo "the build log never shows the redacted URL (did bench init print it?)"; return 1; }
  docker history --no-trunc "$image" | grep -q "$APPS_TOKEN" && { echo "the token is in docker history"; return 1; }
  docker image inspect "$image" | grep -q "$APPS_TOKEN" && { echo "the token is in the image's config or labels"; return 1; }
  found=$(docker run --rm --user 0 --entrypoint sh "$image" -c "grep -rlsF '$APPS_TOKEN' / --exclude-dir=proc --exclude-dir=sys --exclude-dir=dev 2>/dev/null | head -5")
  [ -z "$found" ] || { echo "the token is in: $found"; return 1; }
  echo "searched the build log, docker history, image config and the whole filesystem"
}

# The app through the frontend of a running stack: its whitelisted method (after_install's
# article is in the catalogue) and its asset.
app_method() {
  local body
  body=$(web -f /api/method/library_management.api.catalogue) || { echo "GET catalogue failed"; return 1; }
  echo "$body" | jq -e '.message | map(.article_name) | index("Welcome to the library")' >/dev/null || { echo "catalogue: $body"; return 1; }
}
app_asset() {
  web -f /assets/library_management/js/library.js | grep -q library_management.api.catalogue || { echo "GET /assets/library_management/js/library.js failed"; return 1; }
  local hashed
  hashed=$(dc exec -T frontend cat sites/assets/library_management/manifest.json | jq -r '."js/library.js"') || return 1
  web -f -o /dev/null "$hashed" || { echo "GET $hashed (the manifest's hashed name) failed"; return 1; }
  echo "/assets/library_management/js/library.js and $hashed"
}
