# Installs a Java runtime for tug's components (Java 17 or newer).
set -e
if command -v java >/dev/null 2>&1; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq openjdk-17-jre-headless >/dev/null
elif command -v dnf >/dev/null 2>&1; then
    dnf install -y -q java-17-openjdk-headless
else
    echo "neither apt-get nor dnf is here: install Java 17 on this machine, then re-run tug update cluster" >&2
    exit 1
fi
command -v java
