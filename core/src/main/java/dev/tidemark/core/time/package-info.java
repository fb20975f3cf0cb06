/**
 * Processing time as a dependency: {@link dev.tidemark.core.time.ProcessingClock} is the
 * serializable clock that DoFns read "now" from, so that tests can pin it to a literal instant.
 */
package dev.tidemark.core.time;
