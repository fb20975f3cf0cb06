package dev.tidemark.core.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.tidemark.core.fixtures.TipModels;
import dev.tidemark.core.time.ProcessingClock;
import dev.tidemark.core.trip.TaxiTrip;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The model holder: loads the newest complete version, looks for a newer one at most once per poll
 * interval, ignores half-written versions, and refuses a store without a complete version.
 */
public class HotSwapModelTest {

  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

  private static Map<String, byte[]> files;

  @BeforeClass
  public static void trainOnce() throws IOException {
    List<TaxiTrip> trips = TipModels.trips(300);
    files = TipModels.train(trips, 5);
  }

  /** A settable clock (the holder reads it on every call). */
  static final class TestClock implements ProcessingClock {
    private static final long serialVersionUID = 1L;
    Instant now = T0;

    @Override
    public Instant now() {
      return now;
    }
  }

  /** A newer version is picked up at the first call after the poll interval, not before. */
  @Test
  public void aNewerVersionIsUsedOnlyAfterThePollInterval() throws IOException {
    String store = TMP.newFolder().getAbsolutePath();
    TipModels.publish(store, "20261127T090000Z", files);
    TestClock clock = new TestClock();
    try (HotSwapModel h = HotSwapModel.open(store, "taxi-tips", Duration.ofSeconds(10), clock)) {
      assertThat(h.current().version(), equalTo("20261127T090000Z"));
      TipModels.publish(store, "20261127T100000Z", files);
      clock.now = T0.plusSeconds(9); // within the interval: no look at the store
      assertThat(h.current().version(), equalTo("20261127T090000Z"));
      clock.now = T0.plusSeconds(10); // the interval has passed: poll, swap
      assertThat(h.current().version(), equalTo("20261127T100000Z"));
      assertThat(h.loads(), equalTo(2));
    }
  }

  /** A version without its completion marker is never loaded. */
  @Test
  public void aHalfWrittenVersionIsIgnored() throws IOException {
    String store = TMP.newFolder().getAbsolutePath();
    TipModels.publish(store, "20261127T090000Z", files);
    java.nio.file.Path half = java.nio.file.Path.of(store, "taxi-tips", "20261127T100000Z");
    java.nio.file.Files.createDirectories(half);
    java.nio.file.Files.write(half.resolve("model.json"), files.get("model.json"));
    try (HotSwapModel h = HotSwapModel.open(store, "taxi-tips", Duration.ZERO, new TestClock())) {
      assertThat(h.current().version(), equalTo("20261127T090000Z"));
      assertThat(h.current().version(), equalTo("20261127T090000Z"));
      assertThat(h.loads(), equalTo(1));
    }
  }

  /** An empty store is refused with the command that fills it. */
  @Test
  public void anEmptyStoreIsRefused() throws IOException {
    String store = TMP.newFolder().getAbsolutePath();
    try {
      HotSwapModel.open(store, "taxi-tips", Duration.ZERO, new TestClock()).close();
      throw new AssertionError("an empty store was accepted");
    } catch (IOException e) {
      assertThat(
          e.getMessage(),
          equalTo(
              "no complete version of taxi-tips in "
                  + store
                  + " (expected "
                  + store
                  + "/taxi-tips/<version>/_COMPLETE; train one: bin/tidemark train --output "
                  + store
                  + ")"));
    }
  }
}
