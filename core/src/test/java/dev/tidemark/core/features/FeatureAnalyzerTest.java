package dev.tidemark.core.features;

import static dev.tidemark.core.fixtures.Trips.CARD_RIDE_DOWNTOWN;
import static dev.tidemark.core.fixtures.Trips.PCARD_RIDE_NO_DROPOFF;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.fixtures.Trips;
import java.util.List;
import org.junit.Test;

/** Vocabularies and training ranges learned from trips. */
public class FeatureAnalyzerTest {

  /** Terms need ten trips; the vocabulary is ordered by count, then by name. */
  @Test
  public void vocabularyKeepsFrequentTermsByCountThenName() {
    FeatureAnalyzer a = new FeatureAnalyzer();
    for (int i = 0; i < 12; i++) {
      a.add(CARD_RIDE_DOWNTOWN);
    }
    for (int i = 0; i < 12; i++) {
      a.add(PCARD_RIDE_NO_DROPOFF);
    }
    for (int i = 0; i < 9; i++) {
      a.add(Trips.withTips(CARD_RIDE_DOWNTOWN, 1.0)); // same terms again
    }
    assertEquals(List.of("Credit Card", "Pcard"), a.vocabulary("payment_type"));
    assertEquals(List.of("Taxi Affiliation Services"), a.vocabulary("company"));
  }

  /** Analysis split in two and merged equals analysis in one pass. */
  @Test
  public void mergedPartsGiveTheSameSpecAsOnePass() {
    FeatureAnalyzer whole = new FeatureAnalyzer();
    FeatureAnalyzer left = new FeatureAnalyzer();
    FeatureAnalyzer right = new FeatureAnalyzer();
    for (int i = 0; i < 15; i++) {
      whole.add(CARD_RIDE_DOWNTOWN).add(PCARD_RIDE_NO_DROPOFF);
      left.add(CARD_RIDE_DOWNTOWN);
      right.add(PCARD_RIDE_NO_DROPOFF);
    }
    FeatureSpec spec = whole.spec();
    assertEquals(spec, right.merge(left).spec());
    FeatureSpec.Feature fare = spec.features().get(0);
    assertEquals(12.45, fare.trainingMin(), 0);
    assertEquals(40.25, fare.trainingMax(), 0);
    FeatureSpec.Feature hourBucket = spec.features().get(12);
    assertEquals(0.0, hourBucket.trainingMin(), 0); // 2 h
    assertEquals(3.0, hourBucket.trainingMax(), 0); // 18 h
  }
}
