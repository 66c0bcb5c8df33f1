# Sourced by the benchmark scripts, from the project root: what a JVM of this project needs when it
# starts outside Maven.
#   java_opens        sets the array opens_array to the --add-opens flags the pom names for Java 17
#   spark_home_of DIR makes DIR a Spark installation as far as spark-submit needs one (local-cluster
#                     launches executor JVMs from it): DIR/jars linking the runtime classpath
java_opens() {
    local opens
    opens="$(sed -n 's:.*<java17.opens>\(.*\)</java17.opens>.*:\1:p' pom.xml)"
    read -r -a opens_array <<< "$opens"
}

spark_home_of() {
    local home="$1" entry
    rm -rf "$home"
    mkdir -p "$home/jars"
    # classpath.txt has no trailing newline: split it with read -d ':' over the file plus one, so
    # that the last entry is not dropped.
    while IFS= read -r -d ':' entry; do
        [[ "$entry" != *.jar ]] || ln -sf "$entry" "$home/jars/$(basename "$entry")"
    done < <(cat target/classpath.txt; printf ':')
}
