/**
 * The local event-log stack: a single-node KRaft Kafka broker and an S3-compatible object store
 * (S3Proxy), each started on loopback in its own JVM from jars that the build resolved from Maven
 * Central. {@link dev.tidemark.runners.stack.LocalStack} is the one API, used by {@code
 * bin/tidemark stack} and by the integration tests alike.
 */
package dev.tidemark.runners.stack;
