package dev.tidemark.core.store;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.tidemark.testing.S3ProxyServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The model store on a real S3 API (S3Proxy on loopback, started here): buckets are created on
 * first write, paths are path-style, and the completion protocol holds.
 */
public class S3ModelStoreIT extends ModelStoreContract {
  @ClassRule public static TemporaryFolder tmp = new TemporaryFolder();

  private static S3ProxyServer s3;
  private static Path baseDir;
  private String bucket;

  @BeforeClass
  public static void startS3() throws Exception {
    baseDir = tmp.newFolder("s3").toPath();
    s3 = S3ProxyServer.start(baseDir);
  }

  @AfterClass
  public static void stopS3() throws Exception {
    s3.close();
  }

  private static S3Settings settings() {
    return S3Settings.fromEnv(s3.environment());
  }

  @Override
  protected ModelStore store() {
    bucket = "models-" + UUID.randomUUID().toString().substring(0, 8);
    return ModelStore.open("s3://" + bucket, settings());
  }

  @Override
  protected void writeRaw(String key, byte[] content) throws Exception {
    try (ObjectStore raw = ObjectStore.open(StoreLocation.parse("s3://" + bucket), settings())) {
      raw.put(key, content);
    }
  }

  /** The bucket is created on first publish; a prefix in the location nests the model. */
  @Test
  public void bucketIsCreatedAndPrefixIsHonoured() throws Exception {
    String fresh = "fresh-" + UUID.randomUUID().toString().substring(0, 8);
    try (ModelStore store = ModelStore.open("s3://" + fresh + "/team/a", settings())) {
      String uri = store.publish("taxi-tips", "v1", Map.of("model.json", bytes("{}")));
      assertEquals("s3://" + fresh + "/team/a/taxi-tips/v1", uri);
    }
    // S3Proxy's filesystem backend keeps objects as files: the layout is visible on disk.
    assertTrue(Files.exists(baseDir.resolve(fresh + "/team/a/taxi-tips/v1/_COMPLETE")));
  }

  /** A single object reads back through an s3:// URI (the training input path). */
  @Test
  public void singleObjectOpensByUri() throws Exception {
    String b = "data-" + UUID.randomUUID().toString().substring(0, 8);
    try (ObjectStore raw = ObjectStore.open(StoreLocation.parse("s3://" + b), settings())) {
      raw.put("chicago-taxi/trips.csv", bytes("a,b\n1,2\n"));
    }
    try (InputStream in =
        ObjectStore.openObject("s3://" + b + "/chicago-taxi/trips.csv", settings())) {
      assertEquals("a,b\n1,2\n", new String(in.readAllBytes()));
    }
  }

  /** The reachability probe sees the running server and not a closed port. */
  @Test
  public void reachabilityProbe() throws Exception {
    assertTrue(settings().reachable(Duration.ofSeconds(1)));
    S3Settings closed = settings().withEndpoint(java.net.URI.create("http://127.0.0.1:1"));
    assertEquals(false, closed.reachable(Duration.ofMillis(500)));
  }
}
