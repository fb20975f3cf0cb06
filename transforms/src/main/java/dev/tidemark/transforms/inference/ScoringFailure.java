package dev.tidemark.transforms.inference;

import dev.tidemark.core.trip.TaxiTrip;
import java.io.Serializable;

/**
 * A trip that could not be scored (its features could not be computed, or the model call failed),
 * with the reason: the dead letter of {@link ScoreTrips}.
 *
 * @param tripId the trip's stable id
 * @param eventTimeMillis the trip start, epoch milliseconds
 * @param reason one sentence
 * @param trip the trip itself (so that it can be scored again)
 */
public record ScoringFailure(String tripId, long eventTimeMillis, String reason, TaxiTrip trip)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
