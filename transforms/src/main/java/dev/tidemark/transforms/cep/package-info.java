/**
 * Complex event processing for Beam: a fluent, typed {@link dev.tidemark.transforms.cep.Pattern}
 * API in the spirit of Flink CEP, and {@link dev.tidemark.transforms.cep.MatchPattern}, the keyed,
 * event-time composite that matches it with state and timers, emitting complete matches, timed-out
 * partial matches and captured late events. See {@code docs/cep.md}.
 */
package dev.tidemark.transforms.cep;
