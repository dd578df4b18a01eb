# Sourced by scripts/run and scripts/test: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is new enough, the `java` on PATH, then the newest JDK under /usr/lib/jvm.

java_major() { # prints the major version of the java binary $1, or 0
    "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1 || echo 0
}

find_jdk() {
    local candidate
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME/bin/java")" -ge 21 ]; then
        echo "$JAVA_HOME"; return 0
    fi
    if command -v javac >/dev/null 2>&1; then
        candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
        if [ "$(java_major "$candidate/bin/java")" -ge 21 ]; then echo "$candidate"; return 0; fi
    fi
    for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do
        candidate=${candidate%/}
        if [ -x "$candidate/bin/javac" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ]; then
            echo "$candidate"; return 0
        fi
    done
    return 1
}

if ! JAVA_HOME=$(find_jdk); then
    echo "Parley needs a JDK 21 or newer and found none (looked at \$JAVA_HOME, the java on PATH and /usr/lib/jvm)." >&2
    echo "Install one, e.g. 'apt-get install openjdk-21-jdk' where your distribution has it, or set JAVA_HOME." >&2
    exit 1
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven 3.8/3.9 bundles a Guava that touches sun.misc.Unsafe; JDK 24+ warns loudly about it.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
