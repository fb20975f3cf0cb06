/**
 * The taxi trip, defined once: {@link dev.tidemark.core.trip.TaxiTrip} (the record) and the codecs
 * of its shipped and wire forms, {@link dev.tidemark.core.trip.TaxiTripCsv} (the sample's CSV
 * layout) and {@link dev.tidemark.core.trip.TaxiTripJson} (trip events on Kafka, V1 instances).
 * Parse errors are {@link dev.tidemark.core.trip.MalformedTripException}s with a one-sentence
 * reason.
 */
package dev.tidemark.core.trip;
