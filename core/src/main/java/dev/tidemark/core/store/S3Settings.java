package dev.tidemark.core.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How to reach the S3-compatible object store, from environment variables:
 *
 * <ul>
 *   <li>endpoint: {@code AWS_ENDPOINT_URL_S3}, else {@code AWS_ENDPOINT_URL}, else {@code
 *       S3_ENDPOINT}, else {@link #DEFAULT_ENDPOINT} (the local stack);
 *   <li>region: {@code AWS_REGION}, else {@code AWS_DEFAULT_REGION}, else {@code us-east-1};
 *   <li>credentials: {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, else the local
 *       stack's development pair {@link #DEFAULT_ACCESS_KEY} / {@link #DEFAULT_SECRET_KEY}.
 * </ul>
 *
 * Clients always use path-style access ({@code http://host:port/bucket/key}), which S3Proxy, MinIO
 * and AWS all accept.
 *
 * @param endpoint the S3 API endpoint
 * @param region the signing region
 * @param accessKeyId the access key
 * @param secretAccessKey the secret key
 */
public record S3Settings(URI endpoint, String region, String accessKeyId, String secretAccessKey)
    implements java.io.Serializable {

  /** The endpoint of the local development stack. */
  public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:9000";

  /** The local development stack's access key (only used when none is set). */
  public static final String DEFAULT_ACCESS_KEY = "tidemark";

  /** The local development stack's secret key (only used when none is set). */
  public static final String DEFAULT_SECRET_KEY = "tidemark-secret";

  /** Settings from the process environment. */
  public static S3Settings fromEnv() {
    return fromEnv(System.getenv());
  }

  /** Settings from {@code env} (see the class comment for the variables). */
  public static S3Settings fromEnv(Map<String, String> env) {
    String endpoint =
        first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "S3_ENDPOINT", DEFAULT_ENDPOINT);
    return new S3Settings(
        URI.create(endpoint),
        first(env, "AWS_REGION", "AWS_DEFAULT_REGION", null, "us-east-1"),
        first(env, "AWS_ACCESS_KEY_ID", null, null, DEFAULT_ACCESS_KEY),
        first(env, "AWS_SECRET_ACCESS_KEY", null, null, DEFAULT_SECRET_KEY));
  }

  /** These settings with another endpoint. */
  public S3Settings withEndpoint(URI newEndpoint) {
    return new S3Settings(newEndpoint, region, accessKeyId, secretAccessKey);
  }

  /**
   * These settings with {@code endpoint} when it is set (an {@code --s3Endpoint} option), else
   * unchanged.
   */
  public S3Settings withEndpointIfSet(String endpoint) {
    return endpoint == null || endpoint.isBlank() ? this : withEndpoint(URI.create(endpoint));
  }

  /** Whether a TCP connection to the endpoint opens within {@code timeout}. */
  public boolean reachable(Duration timeout) {
    int port = endpoint.getPort();
    if (port < 0) {
      port = "https".equals(endpoint.getScheme()) ? 443 : 80;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), port), (int) timeout.toMillis());
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint="
        + endpoint
        + ", region="
        + region
        + ", accessKeyId="
        + accessKeyId
        + "]";
  }

  private static String first(Map<String, String> env, String a, String b, String c, String dflt) {
    for (String name : new String[] {a, b, c}) {
      if (name != null) {
        String v = env.get(name);
        if (v != null && !v.isBlank()) {
          return v.strip();
        }
      }
    }
    return dflt;
  }
}
