package dev.tidemark.runners.stack;

import dev.tidemark.core.store.S3Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

/**
 * Where the local stack keeps its data and on which loopback ports it listens, plus the S3
 * credentials and region that the object store accepts and the clients use.
 *
 * <p>{@link #fromEnvironment} reads, each with a local default: {@code TIDEMARK_STACK_DIR} (data
 * directory, default {@code <repo>/.tidemark/stack}), {@code TIDEMARK_KAFKA_PORT} (9092), {@code
 * TIDEMARK_KAFKA_CONTROLLER_PORT} (9093), {@code TIDEMARK_S3_PORT} (9000), {@code AWS_REGION}
 * (us-east-1), {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (local-only defaults).
 * {@link #toString()} never shows the secret.
 *
 * @param repositoryRoot the Tidemark checkout (holds {@code runners/stack/*})
 * @param dataDir where the broker's log and the object store's buckets live
 * @param kafkaPort the broker's client (PLAINTEXT) port
 * @param controllerPort the KRaft controller port
 * @param s3Port the S3 API port
 * @param region the S3 region clients sign for
 * @param accessKey the S3 access key the store accepts
 * @param secretKey the S3 secret key the store accepts
 */
public record StackSettings(
    Path repositoryRoot,
    Path dataDir,
    int kafkaPort,
    int controllerPort,
    int s3Port,
    String region,
    String accessKey,
    String secretKey) {

  /** Access key used when {@code AWS_ACCESS_KEY_ID} is unset: for the local store only. */
  public static final String LOCAL_ACCESS_KEY = S3Settings.DEFAULT_ACCESS_KEY;

  /** Secret used when {@code AWS_SECRET_ACCESS_KEY} is unset: for the local store only. */
  public static final String LOCAL_SECRET_KEY = S3Settings.DEFAULT_SECRET_KEY;

  /** Region used when {@code AWS_REGION} is unset. */
  public static final String LOCAL_REGION = "us-east-1";

  /** Settings from the process environment, with local defaults. */
  public static StackSettings fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** Settings from {@code env}, with local defaults. */
  public static StackSettings fromEnvironment(Map<String, String> env) {
    Path root = findRepositoryRoot();
    String dir = env.get("TIDEMARK_STACK_DIR");
    return new StackSettings(
        root,
        dir == null || dir.isBlank()
            ? root.resolve(".tidemark/stack")
            : Paths.get(dir).toAbsolutePath(),
        port(env, "TIDEMARK_KAFKA_PORT", 9092),
        port(env, "TIDEMARK_KAFKA_CONTROLLER_PORT", 9093),
        port(env, "TIDEMARK_S3_PORT", 9000),
        env.getOrDefault("AWS_REGION", LOCAL_REGION),
        env.getOrDefault("AWS_ACCESS_KEY_ID", LOCAL_ACCESS_KEY),
        env.getOrDefault("AWS_SECRET_ACCESS_KEY", LOCAL_SECRET_KEY));
  }

  /**
   * Settings for a throw-away stack under {@code dataDir} on free ephemeral ports, with the local
   * credentials: what integration tests use, so that they never collide with a running stack.
   */
  public static StackSettings ephemeral(Path dataDir) {
    return new StackSettings(
        findRepositoryRoot(),
        dataDir.toAbsolutePath(),
        freePort(),
        freePort(),
        freePort(),
        LOCAL_REGION,
        LOCAL_ACCESS_KEY,
        LOCAL_SECRET_KEY);
  }

  /** {@code 127.0.0.1:<kafkaPort>}. */
  public String kafkaBootstrap() {
    return "127.0.0.1:" + kafkaPort;
  }

  /** {@code http://127.0.0.1:<s3Port>}. */
  public String s3Endpoint() {
    return "http://127.0.0.1:" + s3Port;
  }

  @Override
  public String toString() {
    return "StackSettings[dataDir="
        + dataDir
        + ", kafka="
        + kafkaBootstrap()
        + ", controllerPort="
        + controllerPort
        + ", s3="
        + s3Endpoint()
        + ", region="
        + region
        + ", accessKey="
        + accessKey
        + ", secretKey=(hidden)]";
  }

  static int port(Map<String, String> env, String name, int dflt) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      int p = Integer.parseInt(v.strip());
      if (p < 1 || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new StackException(
          name + " is not a port number: '" + v + "'", "set it to a number from 1 to 65535");
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The Tidemark checkout: {@code TIDEMARK_HOME} or {@code -Dtidemark.home} if set, else the
   * nearest ancestor of the working directory holding {@code runners/stack/kafka/pom.xml}.
   */
  static Path findRepositoryRoot() {
    String home = System.getProperty("tidemark.home", System.getenv("TIDEMARK_HOME"));
    if (home != null && !home.isBlank()) {
      return Paths.get(home).toAbsolutePath();
    }
    Path dir = Paths.get("").toAbsolutePath();
    for (Path p = dir; p != null; p = p.getParent()) {
      if (Files.exists(p.resolve("runners/stack/kafka/pom.xml"))) {
        return p;
      }
    }
    throw new StackException(
        "cannot find the Tidemark checkout above " + dir,
        "run from inside the repository or set TIDEMARK_HOME to its root");
  }
}
