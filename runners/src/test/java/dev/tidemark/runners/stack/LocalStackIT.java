package dev.tidemark.runners.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** The local stack starts, answers, is idempotent, keeps data across restarts, and stops. */
public class LocalStackIT {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** up twice, status, an object written and read back across down/up, then down twice. */
  @Test
  public void upIsIdempotentAndDataSurvivesRestart() throws Exception {
    Path dir = tmp.newFolder("stack").toPath();
    LocalStack stack = LocalStack.create(StackSettings.ephemeral(dir));
    try {
      LocalStack.Status first = stack.up();
      assertThat(first.healthy(), equalTo(true));
      long kafkaPid = first.servers().get(0).pid();

      LocalStack.Status second = stack.up();
      assertThat(second.servers().get(0).pid(), equalTo(kafkaPid));
      assertThat(second.servers().get(1).detail(), equalTo("buckets: lake"));

      try (S3Client s3 = stack.s3Client()) {
        s3.putObject(
            b -> b.bucket(LocalStack.LAKE_BUCKET).key("hello.txt"), RequestBody.fromString("tide"));
      }
      assertThat(stack.down(), contains("s3", "kafka"));
      assertThat(stack.status().stopped(), equalTo(true));
      assertThat(stack.down().isEmpty(), equalTo(true));

      assertThat(stack.up().healthy(), equalTo(true));
      try (S3Client s3 = stack.s3Client()) {
        assertThat(
            s3.getObjectAsBytes(b -> b.bucket(LocalStack.LAKE_BUCKET).key("hello.txt"))
                .asUtf8String(),
            equalTo("tide"));
      }
    } finally {
      stack.down();
    }
    // The secret is written only to the owner-readable server config, never to the logs.
    String secret = StackSettings.LOCAL_SECRET_KEY;
    for (Path log : List.of(dir.resolve("kafka/server.log"), dir.resolve("s3/server.log"))) {
      assertThat(Files.readString(log), not(containsString(secret)));
    }
    assertThat(stack.settings().toString(), not(containsString(secret)));
  }
}
