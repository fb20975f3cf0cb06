package dev.tidemark.runners.stack;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.Assert.assertThrows;

import java.nio.file.Paths;
import java.util.Map;
import org.junit.Test;

/** Where the Flink cluster listens: local defaults, environment overrides, refused bad ports. */
public class FlinkSettingsTest {

  /** With an empty environment the cluster uses Flink's usual ports and the stack's directory. */
  @Test
  public void emptyEnvironmentGivesFlinksUsualPorts() {
    FlinkSettings s = FlinkSettings.fromEnvironment(Map.of());
    assertThat(s.restPort(), equalTo(8081));
    assertThat(s.rpcPort(), equalTo(6123));
    assertThat(s.blobPort(), equalTo(6124));
    assertThat(s.flinkMaster(), equalTo("127.0.0.1:8081"));
    assertThat(s.restUrl(), equalTo("http://127.0.0.1:8081"));
    assertThat(s.dataDir(), equalTo(s.repositoryRoot().resolve(".tidemark/stack")));
  }

  /** Each port and the data directory can be chosen through the environment. */
  @Test
  public void environmentChoosesPortsAndDirectory() {
    FlinkSettings s =
        FlinkSettings.fromEnvironment(
            Map.of(
                "TIDEMARK_STACK_DIR", "/tmp/tidemark-flink",
                "TIDEMARK_FLINK_REST_PORT", "18081",
                "TIDEMARK_FLINK_RPC_PORT", "16123",
                "TIDEMARK_FLINK_BLOB_PORT", "16124"));
    assertThat(s.dataDir(), equalTo(Paths.get("/tmp/tidemark-flink")));
    assertThat(s.flinkMaster(), equalTo("127.0.0.1:18081"));
    assertThat(s.rpcPort(), equalTo(16123));
    assertThat(s.blobPort(), equalTo(16124));
  }

  /** A port that is not a number is refused with the variable's name and a fix. */
  @Test
  public void badPortIsRefusedWithAFix() {
    StackException e =
        assertThrows(
            StackException.class,
            () -> FlinkSettings.fromEnvironment(Map.of("TIDEMARK_FLINK_REST_PORT", "80a")));
    assertThat(e.getMessage(), containsString("TIDEMARK_FLINK_REST_PORT is not a port number"));
    assertThat(e.fix(), containsString("1 to 65535"));
  }
}
