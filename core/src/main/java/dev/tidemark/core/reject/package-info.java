/**
 * Errors as data: the one reject record ({@link dev.tidemark.core.reject.Reject}) every step emits
 * for an input it cannot process, with its source, reason, original bytes and, when it was read
 * from an event log, its {@link dev.tidemark.core.reject.LogPosition}.
 */
package dev.tidemark.core.reject;
