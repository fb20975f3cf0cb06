/**
 * The retention use case of complex event processing: session events of a web shop as JSON lines
 * ({@link dev.tidemark.transforms.retention.CustomerEvent}), their parsing with dead letters, and
 * {@link dev.tidemark.transforms.retention.DetectRetentionActions}, the "logged in + cart dropped,
 * no checkout within 30 minutes" pattern built on {@code dev.tidemark.transforms.cep}.
 */
package dev.tidemark.transforms.retention;
