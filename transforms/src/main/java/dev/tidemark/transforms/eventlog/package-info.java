/**
 * Records of an event log (a Kafka topic, an archive) as Beam elements, independent of the I/O that
 * read them: {@link dev.tidemark.transforms.eventlog.LogRecord} with its source and position, and
 * {@link dev.tidemark.transforms.eventlog.ParseTripEvents}, which turns JSON trip events into trips
 * and everything else into core's {@code Reject}s.
 */
package dev.tidemark.transforms.eventlog;
