package dev.tidemark.core.store;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.Test;

/**
 * What every model store location (directory or S3 bucket) guarantees; subclasses say where the
 * store lives and how to tamper with it.
 */
public abstract class ModelStoreContract {

  private static final Map<String, byte[]> FILES =
      Map.of(
          "model.json", bytes("{\"learner\":{}}"),
          "feature_spec.json", bytes("{\"format\":\"tidemark.feature-spec/v1\"}"));

  /** A fresh, empty store. */
  protected abstract ModelStore store() throws Exception;

  /** Writes one raw object under the store's root, bypassing the protocol (a crashed writer). */
  protected abstract void writeRaw(String key, byte[] content) throws Exception;

  protected static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A published version is listed, is the latest, and reads back byte for byte. */
  @Test
  public void publishedVersionReadsBack() throws Exception {
    try (ModelStore store = store()) {
      store.publish("taxi-tips", "20261127T090000Z", FILES);
      assertEquals(List.of("20261127T090000Z"), store.completeVersions("taxi-tips"));
      assertEquals(Optional.of("20261127T090000Z"), store.latestVersion("taxi-tips"));
      Map<String, byte[]> read = store.read("taxi-tips", "20261127T090000Z");
      assertEquals(FILES.keySet(), read.keySet());
      assertArrayEquals(FILES.get("model.json"), read.get("model.json"));
    }
  }

  /** A version whose marker is missing (half written) is invisible and unreadable. */
  @Test
  public void halfWrittenVersionIsInvisible() throws Exception {
    try (ModelStore store = store()) {
      store.publish("taxi-tips", "20261127T090000Z", FILES);
      writeRaw("taxi-tips/20261127T100000Z/model.json", bytes("{}"));
      assertEquals(Optional.of("20261127T090000Z"), store.latestVersion("taxi-tips"));
      IOException e =
          assertThrows(IOException.class, () -> store.read("taxi-tips", "20261127T100000Z"));
      assertThat(e.getMessage(), containsString("is not complete"));
    }
  }

  /** The newest of several complete versions is the greatest timestamp. */
  @Test
  public void latestIsTheGreatestCompleteVersion() throws Exception {
    try (ModelStore store = store()) {
      store.publish("taxi-tips", "20261127T090000Z", FILES);
      store.publish("taxi-tips", "20261128T080000Z", FILES);
      store.publish("taxi-tips", "20261127T230000Z", FILES);
      assertEquals(Optional.of("20261128T080000Z"), store.latestVersion("taxi-tips"));
      assertEquals(Optional.empty(), store.latestVersion("other-model"));
    }
  }

  /** A complete version is immutable. */
  @Test
  public void completeVersionCannotBePublishedAgain() throws Exception {
    try (ModelStore store = store()) {
      store.publish("taxi-tips", "20261127T090000Z", FILES);
      assertThrows(
          IllegalStateException.class, () -> store.publish("taxi-tips", "20261127T090000Z", FILES));
    }
  }

  /** A file changed after publication no longer matches the marker and is refused. */
  @Test
  public void tamperedFileIsRefused() throws Exception {
    try (ModelStore store = store()) {
      store.publish("taxi-tips", "20261127T090000Z", FILES);
      writeRaw("taxi-tips/20261127T090000Z/model.json", bytes("{\"learner\":{\"evil\":1}}"));
      IOException e =
          assertThrows(IOException.class, () -> store.read("taxi-tips", "20261127T090000Z"));
      assertThat(e.getMessage(), containsString("does not match _COMPLETE"));
    }
  }
}
