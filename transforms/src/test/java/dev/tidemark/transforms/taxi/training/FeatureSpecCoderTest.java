package dev.tidemark.transforms.taxi.training;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.tidemark.core.features.FeatureAnalyzer;
import dev.tidemark.core.features.FeatureSpec;
import dev.tidemark.core.fixtures.TipModels;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.Test;

/** The feature spec's coder is its JSON document: it round-trips, and encodes deterministically. */
public class FeatureSpecCoderTest {

  @Test
  public void aLearnedSpecRoundTrips() throws Exception {
    FeatureAnalyzer analyzer = new FeatureAnalyzer();
    TipModels.trips(200).forEach(analyzer::add);
    FeatureSpec spec = analyzer.spec();
    byte[] once = CoderUtils.encodeToByteArray(AnalyzeFeatures.FeatureSpecCoder.INSTANCE, spec);
    FeatureSpec decoded =
        CoderUtils.decodeFromByteArray(AnalyzeFeatures.FeatureSpecCoder.INSTANCE, once);
    assertEquals(spec.toJson(), decoded.toJson());
    assertArrayEquals(
        once, CoderUtils.encodeToByteArray(AnalyzeFeatures.FeatureSpecCoder.INSTANCE, decoded));
  }
}
