package dev.tidemark.runners.stack;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;

/**
 * S3Proxy serving the S3 API on loopback over the local file system (jclouds' {@code
 * filesystem-nio2} provider: buckets are directories, objects are files). It accepts AWS v2 and v4
 * signatures with the stack's access key and secret, and ignores unknown headers (Beam's S3 file
 * system sends one that S3Proxy would otherwise refuse).
 */
final class S3ProxyServer extends ServerProcess {

  private final StackSettings settings;

  S3ProxyServer(StackSettings settings) {
    super(settings.repositoryRoot(), settings.dataDir(), "s3");
    this.settings = settings;
  }

  @Override
  String endpoint() {
    return settings.s3Endpoint();
  }

  @Override
  List<Integer> ports() {
    return List.of(settings.s3Port());
  }

  @Override
  String mainClass() {
    return "org.gaul.s3proxy.Main";
  }

  @Override
  String classpathName() {
    return "s3proxy";
  }

  @Override
  List<String> jvmOptions() {
    return List.of(
        "-Xmx256m",
        "-Djava.awt.headless=true",
        "-Dlogback.configurationFile=" + dir().resolve("logback.xml"));
  }

  @Override
  List<String> arguments() {
    return List.of("--properties", dir().resolve("s3proxy.conf").toString());
  }

  @Override
  Duration startTimeout() {
    return Duration.ofSeconds(60);
  }

  @Override
  void prepare(String classpath) throws IOException {
    Path data = dir().resolve("data");
    Files.createDirectories(data);
    Path conf = dir().resolve("s3proxy.conf");
    // The file holds the secret: readable by its owner only.
    Files.deleteIfExists(conf);
    Files.createFile(
        conf, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=" + settings.s3Endpoint(),
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + settings.accessKey(),
            "s3proxy.credential=" + settings.secretKey(),
            "s3proxy.ignore-unknown-headers=true",
            "jclouds.provider=filesystem-nio2",
            "jclouds.filesystem.basedir=" + data,
            "jclouds.identity=local",
            "jclouds.credential=local",
            ""));
    Files.writeString(
        dir().resolve("logback.xml"),
        String.join(
            "\n",
            "<configuration>",
            "  <appender name=\"out\" class=\"ch.qos.logback.core.ConsoleAppender\">",
            "    <encoder><pattern>[%d] %level %msg \\(%logger{20}\\)%n</pattern></encoder>",
            "  </appender>",
            "  <root level=\"WARN\"><appender-ref ref=\"out\"/></root>",
            "</configuration>",
            ""));
  }

  /** An S3 client for this store, with the stack's credentials. */
  S3Client client() {
    return S3Client.builder()
        .endpointOverride(URI.create(settings.s3Endpoint()))
        .region(Region.of(settings.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
        .forcePathStyle(true)
        .httpClientBuilder(
            ApacheHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(2))
                .socketTimeout(Duration.ofSeconds(5)))
        .build();
  }

  @Override
  Health probe() {
    if (!inUse(settings.s3Port())) {
      return new Health(false, "port " + settings.s3Port() + " not open");
    }
    try (S3Client s3 = client()) {
      List<Bucket> buckets = s3.listBuckets().buckets();
      return new Health(
          true,
          buckets.isEmpty()
              ? "no buckets"
              : "buckets: " + buckets.stream().map(Bucket::name).collect(Collectors.joining(", ")));
    } catch (RuntimeException e) {
      return new Health(false, "no answer: " + e.getClass().getSimpleName());
    }
  }
}
