package dev.tidemark.pipelines.lake;

import dev.tidemark.core.store.S3Settings;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.aws2.options.S3Options;
import org.apache.beam.sdk.io.aws2.s3.DefaultS3ClientBuilderFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 clients of Beam's S3 file system ({@code --s3ClientFactoryClass}) so that the same
 * pipeline talks to AWS S3, MinIO or the local S3Proxy by configuration alone:
 *
 * <ul>
 *   <li>endpoint: {@code --endpoint}, else {@code $AWS_ENDPOINT_URL}, else AWS's own;
 *   <li>with an explicit endpoint (MinIO, S3Proxy) path-style addressing ({@code
 *       http://host:port/bucket/key}), which such servers need; AWS keeps virtual-host style;
 *   <li>region: {@code --awsRegion} / {@code $AWS_REGION}, else {@code us-east-1} for an explicit
 *       endpoint;
 *   <li>credentials: {@code --awsCredentialsProvider} / the AWS default chain ({@code
 *       $AWS_ACCESS_KEY_ID}, profiles, instance roles); only for a loopback endpoint with no
 *       credentials in the environment, the local stack's built-in development key.
 * </ul>
 */
public final class LakeS3ClientBuilderFactory implements S3ClientBuilderFactory {

  /** Access key of the local stack when {@code AWS_ACCESS_KEY_ID} is unset (local use only). */
  public static final String LOCAL_ACCESS_KEY = S3Settings.DEFAULT_ACCESS_KEY;

  /** Secret of the local stack when {@code AWS_SECRET_ACCESS_KEY} is unset (local use only). */
  public static final String LOCAL_SECRET_KEY = S3Settings.DEFAULT_SECRET_KEY;

  @Override
  public S3ClientBuilder createBuilder(S3Options options) {
    S3ClientBuilder builder = new DefaultS3ClientBuilderFactory().createBuilder(options);
    URI endpoint = options.getEndpoint();
    if (endpoint == null) {
      String env = System.getenv("AWS_ENDPOINT_URL");
      if (env != null && !env.isBlank()) {
        endpoint = URI.create(env.strip());
        builder.endpointOverride(endpoint);
      }
    }
    if (endpoint != null) {
      builder.forcePathStyle(true);
      if (options.getAwsRegion() == null) {
        builder.region(Region.US_EAST_1);
      }
      if (isLoopback(endpoint) && System.getenv("AWS_ACCESS_KEY_ID") == null) {
        builder.credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(LOCAL_ACCESS_KEY, LOCAL_SECRET_KEY)));
      }
    }
    return builder;
  }

  private static boolean isLoopback(URI endpoint) {
    try {
      return endpoint.getHost() != null
          && InetAddress.getByName(endpoint.getHost()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
