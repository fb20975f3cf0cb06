/**
 * Time as a dependency and as text: {@link dev.tidemark.core.time.ProcessingClock} is the
 * serializable clock that DoFns read "now" from, so that tests can pin it to a literal instant;
 * {@link dev.tidemark.core.time.Durations} is the one duration grammar ({@code 5m}, {@code 1h30m},
 * {@code 250ms}, {@code PT30M}) of specs, scenario files, pipeline options and CLI flags.
 */
package dev.tidemark.core.time;
