/**
 * Local servers, each started on loopback in its own JVM from jars that the build resolved from
 * Maven Central: the event-log stack (a single-node KRaft Kafka broker and an S3-compatible object
 * store, S3Proxy), whose one API is {@link dev.tidemark.runners.stack.LocalStack}, and a standalone
 * Flink session cluster (JobManager + TaskManager), the remote target of the FlinkRunner, whose API
 * is {@link dev.tidemark.runners.stack.FlinkCluster}. {@code bin/tidemark stack}, {@code
 * bin/tidemark flink-cluster} and the integration tests use the same APIs.
 */
package dev.tidemark.runners.stack;
