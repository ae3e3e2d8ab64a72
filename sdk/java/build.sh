#!/usr/bin/env bash
# Builds the Slotbook Java SDK with javac against Debian's jars: no Maven or Gradle needed.
#
#   sdk/java/build.sh        the jar: build/slotbook-client-VERSION.jar (its path is printed last)
#   sdk/java/build.sh test   the jar, then the tests and examples, run by JUnit 5 against the
#                            server at $SLOTBOOK_BASE_URL with the key $SLOTBOOK_API_KEY
#
# Needs: apt-get install default-jdk-headless libjackson2-databind-java (and junit5 to test).
# BUILD_DIR overrides the output folder; JAVA_JARS the folder of the Jackson and JUnit jars.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${BUILD_DIR:-$here/build}"
jars="${JAVA_JARS:-/usr/share/java}"
version="$(sed -n 's/.*String VERSION = "\(.*\)";.*/\1/p' \
  "$here/src/main/java/dev/slotbook/client/SlotbookClient.java")"
jackson="$jars/jackson-databind.jar:$jars/jackson-core.jar:$jars/jackson-annotations.jar"
jar="$build/slotbook-client-$version.jar"

sources() { find "$@" -name '*.java' | sort; }
# Short-lived JVMs: the quick compiler alone and the serial collector halve the CPU they use.
fast=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)
javac() { command javac "${fast[@]/#/-J}" "$@"; }

rm -rf "$build/classes" "$jar"
mkdir -p "$build/classes"
mapfile -t main < <(sources "$here/src/main/java")
javac --release 17 -encoding UTF-8 -Xlint:all -Werror -d "$build/classes" -cp "$jackson" "${main[@]}"
printf 'Automatic-Module-Name: dev.slotbook.client\nImplementation-Version: %s\n' "$version" \
  > "$build/MANIFEST.MF"
jar "${fast[@]/#/-J}" --create --file "$jar" --manifest "$build/MANIFEST.MF" -C "$build/classes" .

case "${1:-jar}" in
  jar)
    echo "$jar"
    ;;
  test)
    junit="$jars/junit-jupiter-api.jar:$jars/junit-jupiter-params.jar:$jars/apiguardian-api.jar:$jars/opentest4j.jar:$jars/junit-platform-commons.jar"
    rm -rf "$build/test-classes"
    mkdir -p "$build/test-classes"
    mapfile -t tests < <(sources "$here/src/test/java" "$here/examples")
    javac --release 17 -encoding UTF-8 -Xlint:all -d "$build/test-classes" \
      -cp "$jar:$jackson:$junit" "${tests[@]}"
    # The test classes run in their @Order: the examples first, as the documents order them.
    java "${fast[@]}" -jar "$jars/junit-platform-console-standalone.jar" \
      --class-path "$build/test-classes:$jar:$jackson" \
      --select-package dev.slotbook.client \
      --config=junit.jupiter.testclass.order.default='org.junit.jupiter.api.ClassOrderer$OrderAnnotation' \
      --disable-banner --details=tree --fail-if-no-tests
    ;;
  *)
    echo "usage: $0 [jar|test]" >&2
    exit 2
    ;;
esac
