#!/usr/bin/env bash
# System packages the tests need: Debian's chromium (headless browser tests), and public-domain
# texts indexed as content of the project-gutenberg entry by the overlap tests and benchmarks
# (bible-kjv with bible-kjv-text: the King James Bible; dict-devil: Bierce's The Devil's Dictionary).
# Installs with apt-get when missing; needs root or passwordless sudo.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
command -v bible >/dev/null 2>&1 || need+=(bible-kjv)  # the reader; brings bible-kjv-text
[ -e /usr/share/dictd/devil.dict.dz ] || need+=(dict-devil)
if [ ${#need[@]} -gt 0 ]; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing Debian packages: ${need[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
