#!/usr/bin/env bash
# System packages the tests need, installed only when missing (Debian):
#  - a Java runtime for owlready2's HermiT reasoner;
#  - the OWL API (libowlapi-java) for the OWL 2 DL profile check of the ontology with the
#    vocabularies it aligns to, run as a single-file Java program, which needs a JDK
#    (tests/java/OwlProfileCheck.java);
#  - Chromium and ChromeDriver for the browser tests of the UI;
#  - Virtuoso Open Source (virtuoso-t, isql-vt) for the tests of the remote store backend
#    (marker `virtuoso`; the tests start their own server on loopback, never the service).
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
[ -f /usr/share/java/owlapi-distribution.jar ] || need+=(libowlapi-java)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "installing system packages: ${need[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
