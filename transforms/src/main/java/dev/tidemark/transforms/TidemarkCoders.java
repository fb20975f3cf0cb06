package dev.tidemark.transforms;

import dev.tidemark.core.trip.TaxiTrip;
import dev.tidemark.transforms.taxi.TaxiTripCoder;
import java.util.List;
import org.apache.beam.sdk.coders.CoderProvider;
import org.apache.beam.sdk.coders.CoderProviderRegistrar;
import org.apache.beam.sdk.coders.CoderProviders;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * Registers the explicit coders of Tidemark's domain records as Beam's defaults, so that every
 * pipeline encodes them compactly and deterministically without naming a coder at each step (and
 * never falls back to Java serialization). Found by Beam's {@code ServiceLoader} through {@code
 * META-INF/services/org.apache.beam.sdk.coders.CoderProviderRegistrar}.
 */
public final class TidemarkCoders implements CoderProviderRegistrar {

  @Override
  public List<CoderProvider> getCoderProviders() {
    return List.of(CoderProviders.forCoder(TypeDescriptor.of(TaxiTrip.class), TaxiTripCoder.of()));
  }
}
