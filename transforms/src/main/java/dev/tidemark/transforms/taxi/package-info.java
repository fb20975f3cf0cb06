/**
 * The Chicago taxi trip domain: the {@link dev.tidemark.core.trip.TaxiTrip} record and its CSV form
 * (plain Java, no Beam), and the Beam transforms that parse and aggregate trips.
 */
package dev.tidemark.transforms.taxi;
