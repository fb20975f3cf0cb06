package dev.tidemark.transforms.skew;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertThrows;

import java.time.Duration;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.JUnit4;

/** Specification of the skew bucket scheme: labels and the edges of every bucket. */
@RunWith(JUnit4.class)
public class SkewBucketsTest {

  private final SkewBuckets standard = SkewBuckets.standard();

  /** The standard scheme's buckets, in order, with the future bucket first. */
  @Test
  public void standardSchemeLabels() {
    assertThat(
        standard.labels(),
        contains("future", "0s-1s", "1s-10s", "10s-1m", "1m-10m", "10m-1h", "1h-1d", "1d+"));
  }

  /** Negative skew, even one millisecond, is the future bucket; zero is not. */
  @Test
  public void negativeSkewIsTheFutureBucket() {
    assertThat(standard.indexOf(-1), is(0));
    assertThat(standard.indexOf(-86_400_000L * 365), is(0));
    assertThat(standard.indexOf(0), is(1));
  }

  /** Buckets are half-open: a skew equal to an upper bound belongs to the next bucket. */
  @Test
  public void bucketsAreHalfOpen() {
    assertThat(standard.indexOf(999), is(1));
    assertThat(standard.indexOf(1_000), is(2));
    assertThat(standard.indexOf(59_999), is(3));
    assertThat(standard.indexOf(60_000), is(4));
    assertThat(standard.indexOf(86_399_999), is(6));
    assertThat(standard.indexOf(86_400_000), is(7));
  }

  /** A custom scheme labels its bounds in their largest whole unit. */
  @Test
  public void customSchemeLabels() {
    SkewBuckets custom = SkewBuckets.withUpperBounds(Duration.ofMillis(250), Duration.ofMinutes(2));

    assertThat(custom.labels(), contains("future", "0s-250ms", "250ms-2m", "2m+"));
  }

  /** Bounds that do not increase are refused. */
  @Test
  public void nonIncreasingBoundsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SkewBuckets.withUpperBounds(Duration.ofMinutes(2), Duration.ofMinutes(1)));
  }
}
