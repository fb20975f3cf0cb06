/**
 * Kafka plumbing of the event-log pipelines: reading trip events with KafkaIO (following the topic
 * live, or replaying it up to its current end), the per-partition event-time watermark that also
 * advances idle partitions, writing rejected records to a dead-letter topic, and the configuration
 * shared by these pipelines ({@link dev.tidemark.pipelines.kafka.EventLogOptions}). Nothing here
 * parses or aggregates: that is {@code dev.tidemark.transforms}.
 */
package dev.tidemark.pipelines.kafka;
