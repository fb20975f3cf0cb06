/** Integration tests of the event log: Kafka ingestion, watermarks, Kappa replay, canary. */
package dev.tidemark.runners.eventlog;
