/**
 * Where pipelines write what is not a result: rejects ({@link
 * dev.tidemark.pipelines.sinks.WriteRejects}, to a dead-letter topic or TSV files), the one way
 * every pipeline persists them.
 */
package dev.tidemark.pipelines.sinks;
