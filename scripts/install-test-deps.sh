#!/usr/bin/env bash
# Installs the Debian tools the tests start for real (sshd, xz, systemd-analyze, openssl for test certificates).
# As root it installs what is missing with apt-get; otherwise it names the missing packages and stops.
set -euo pipefail

missing=()
command -v xz >/dev/null || missing+=(xz-utils)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
command -v ssh-keygen >/dev/null || missing+=(openssh-client)
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v openssl >/dev/null || missing+=(openssl)
command -v sha256sum >/dev/null || missing+=(coreutils)

if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need these Debian packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing test dependencies: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
