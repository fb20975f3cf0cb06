package dev.tidemark.serving;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.tidemark.core.store.S3Settings;
import dev.tidemark.serving.deploy.Deployer;
import dev.tidemark.serving.deploy.ModelUri;
import dev.tidemark.serving.model.ServedModel;
import java.time.Duration;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The deployer against a real server: loads a version and waits until it is the one served. */
public class DeployerTest {

  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  /** Deploying a newer version makes it the default; a missing version or server is explained. */
  @Test
  public void deployLoadsTheVersionAndWaitsUntilReady() throws Exception {
    String repo = tmp.newFolder("models").toURI().toString();
    S3Settings s3 = S3Settings.fromEnv(Map.of());
    copyFixture(repo, s3, "20261127T090000Z");
    ServerConfig config =
        ServerConfig.defaults(repo).withS3(s3).withPort(0).withPollInterval(Duration.ZERO);
    try (ModelServer server = ModelServer.start(config)) {
      copyFixture(repo, s3, "20261127T100000Z");
      Deployer deployer = new Deployer(server.url(), null);
      ModelUri uri = ModelUri.parse(repo + "taxi-tips/20261127T100000Z");
      deployer.deploy(uri, Duration.ofSeconds(30));
      ServedModel served = server.registry().resolve("taxi-tips").orElseThrow();
      assertEquals("20261127T100000Z", served.version());

      Deployer.DeployException missing =
          assertThrows(
              Deployer.DeployException.class,
              () ->
                  deployer.deploy(
                      ModelUri.parse(repo + "taxi-tips/20991231T000000Z"), Duration.ofSeconds(5)));
      assertThat(missing.getMessage(), containsString("(HTTP 404)"));
      assertThat(missing.getMessage(), containsString("is not a complete version"));
    }
    Deployer.DeployException down =
        assertThrows(
            Deployer.DeployException.class,
            () ->
                new Deployer("http://127.0.0.1:1", null)
                    .deploy(
                        ModelUri.parse("s3://models/taxi-tips/20261127T090000Z"),
                        Duration.ofSeconds(2)));
    assertThat(down.getMessage(), containsString("is not reachable"));
  }

  /** Publishes the serving tests' first model as {@code taxi-tips/version}. */
  private static void copyFixture(String repo, S3Settings s3, String version) throws Exception {
    TaxiTipsModels.publish(repo, s3, TaxiTipsModels.MODEL, version, TaxiTipsModels.FIRST);
  }
}
