#!/bin/sh
# Fails unless every package in Package.resolved (written by `swift package resolve`) has exactly the version that
# deploy/package-versions.txt pins for its location: the image build's guard that two builds of one commit get the
# same dependency code. POSIX sh and grep only, so it runs in the Swift builder image as it is.
# Usage: verify-package-versions.sh PINS RESOLVED
set -eu
pins="$1"
resolved="$2"
status=0
grep -v '^#' "$pins" | while read -r location version; do
    [ -n "$location" ] || continue
    if ! grep -A 5 "\"location\" : \"$location\"" "$resolved" | grep -q "\"version\" : \"$version\""; then
        echo "package $location did not resolve to its pinned version $version (update deploy/package-versions.txt deliberately: docs/deploy.md)" >&2
        exit 1
    fi
done || status=1
count=$(grep -c '"location"' "$resolved")
pinned=$(grep -vc '^#' "$pins")
if [ "$count" -ne "$pinned" ]; then
    echo "Package.resolved has $count packages, deploy/package-versions.txt pins $pinned: pin every package" >&2
    status=1
fi
exit "$status"
