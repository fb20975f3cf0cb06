package dev.tidemark.testing;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * A real S3 API server for integration tests: S3Proxy 2.6.0 in-process on 127.0.0.1 (a free port),
 * storing buckets as directories under a given directory. Credentials are the local stack's
 * development pair, so code that reads {@code AWS_*} variables with their defaults reaches it once
 * given the {@link #endpoint()}. Close it to stop it.
 *
 * <pre>{@code
 * try (S3ProxyServer s3 = S3ProxyServer.start(tmp.newFolder().toPath())) {
 *   ... s3.endpoint() ...
 * }
 * }</pre>
 */
public final class S3ProxyServer implements AutoCloseable {

  /** The access key clients use. */
  public static final String ACCESS_KEY = "tidemark";

  /** The secret key clients use. */
  public static final String SECRET_KEY = "tidemark-secret";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final S3Proxy proxy;
  private final BlobStoreContext context;

  private S3ProxyServer(S3Proxy proxy, BlobStoreContext context) {
    this.proxy = proxy;
    this.context = context;
  }

  /** Starts a server whose buckets are directories under {@code baseDir}. */
  public static S3ProxyServer start(Path baseDir) throws Exception {
    Properties props = new Properties();
    props.setProperty("jclouds.filesystem.basedir", baseDir.toString());
    BlobStoreContext context =
        ContextBuilder.newBuilder("filesystem-nio2")
            .credentials("identity", "credential")
            .overrides(props)
            .build(BlobStoreContext.class);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            .ignoreUnknownHeaders(true)
            .build();
    proxy.start();
    Instant deadline = Instant.now().plus(START_TIMEOUT);
    while (!"STARTED".equals(proxy.getState())) {
      if (Instant.now().isAfter(deadline)) {
        proxy.stop();
        context.close();
        throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT);
      }
      Thread.sleep(10); // polling a state with a deadline
    }
    return new S3ProxyServer(proxy, context);
  }

  /** The endpoint, e.g. {@code http://127.0.0.1:41234}. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** The environment variables that point an AWS SDK client at this server. */
  public Map<String, String> environment() {
    return Map.of(
        "AWS_ENDPOINT_URL",
        endpoint().toString(),
        "AWS_REGION",
        "us-east-1",
        "AWS_ACCESS_KEY_ID",
        ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY",
        SECRET_KEY);
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } finally {
      context.close();
    }
  }
}
