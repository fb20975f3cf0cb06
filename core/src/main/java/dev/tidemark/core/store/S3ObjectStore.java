package dev.tidemark.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An {@link ObjectStore} on an S3 bucket (AWS SDK v2, path-style access). The bucket is created on
 * the first write when it does not exist.
 */
final class S3ObjectStore implements ObjectStore {
  private final StoreLocation root;
  private final S3Client s3;
  private boolean bucketChecked;

  S3ObjectStore(StoreLocation root, S3Settings settings) {
    this.root = root;
    this.s3 =
        S3Client.builder()
            .endpointOverride(settings.endpoint())
            .region(Region.of(settings.region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())))
            .forcePathStyle(true)
            .build();
  }

  @Override
  public StoreLocation root() {
    return root;
  }

  @Override
  public void put(String key, byte[] bytes) throws IOException {
    try {
      ensureBucket();
      s3.putObject(b -> b.bucket(root.bucket()).key(fullKey(key)), RequestBody.fromBytes(bytes));
    } catch (SdkException e) {
      throw new IOException("cannot write " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<byte[]> get(String key) throws IOException {
    try {
      return Optional.of(
          s3.getObjectAsBytes(b -> b.bucket(root.bucket()).key(fullKey(key))).asByteArray());
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new IOException("cannot read " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public InputStream openStream(String key) throws IOException {
    try {
      return s3.getObject(b -> b.bucket(root.bucket()).key(fullKey(key)));
    } catch (SdkException e) {
      throw new IOException("cannot read " + uri(key) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    String base = root.path().isEmpty() ? "" : root.path() + "/";
    List<String> keys = new ArrayList<>();
    try {
      for (S3Object o :
          s3.listObjectsV2Paginator(b -> b.bucket(root.bucket()).prefix(base + prefix))
              .contents()) {
        keys.add(o.key().substring(base.length()));
      }
    } catch (NoSuchBucketException e) {
      return List.of();
    } catch (SdkException e) {
      throw new IOException("cannot list " + uri(prefix) + ": " + e.getMessage(), e);
    }
    keys.sort(null);
    return keys;
  }

  @Override
  public void close() {
    s3.close();
  }

  private void ensureBucket() {
    if (bucketChecked) {
      return;
    }
    try {
      s3.headBucket(b -> b.bucket(root.bucket()));
    } catch (NoSuchBucketException e) {
      createBucket();
    } catch (S3Exception e) {
      if (e.statusCode() != 404) {
        throw e;
      }
      createBucket();
    }
    bucketChecked = true;
  }

  private void createBucket() {
    try {
      s3.createBucket(b -> b.bucket(root.bucket()));
    } catch (S3Exception e) {
      // Another writer may have created it in between.
      if (e.statusCode() != 409) {
        throw e;
      }
    }
  }

  private String fullKey(String key) {
    return root.path().isEmpty() ? key : root.path() + "/" + key;
  }

  private String uri(String key) {
    return root.resolve(key).uri();
  }
}
