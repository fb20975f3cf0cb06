package dev.tidemark.core.training;

import dev.tidemark.core.features.TaxiFeatures;
import dev.tidemark.core.features.TripSplit;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One training example: a trip's feature vector with its labels and split.
 *
 * @param tripId the trip's stable id ({@link TripSplit#tripId})
 * @param eval whether the trip is in the eval split
 * @param features the FP32 feature vector ({@link TaxiFeatures})
 * @param bigTipper the classification label: 1 when {@code tips > 0.2 * fare}, else 0
 * @param tips the regression label: the tip in dollars
 */
public record LabeledRow(String tripId, boolean eval, float[] features, float bigTipper, float tips)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The training example of a clean trip (its tips must be present). */
  public static LabeledRow of(TaxiTrip trip, TaxiFeatures features) {
    Objects.requireNonNull(trip.tips(), "a training trip needs its tips");
    String id = TripSplit.tripId(trip);
    return new LabeledRow(
        id,
        TripSplit.isEval(id),
        features.vector(trip),
        bigTipper(trip.tips(), trip.fare()) ? 1f : 0f,
        trip.tips().floatValue());
  }

  /** The label: whether the tip exceeds 20% of the fare. */
  public static boolean bigTipper(double tips, double fare) {
    return tips > 0.2 * fare;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledRow r
        && tripId.equals(r.tripId)
        && eval == r.eval
        && Arrays.equals(features, r.features)
        && Float.compare(bigTipper, r.bigTipper) == 0
        && Float.compare(tips, r.tips) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(tripId, eval, Arrays.hashCode(features), bigTipper, tips);
  }

  @Override
  public String toString() {
    return "LabeledRow[" + tripId + (eval ? " eval " : " train ") + Arrays.toString(features) + "]";
  }
}
