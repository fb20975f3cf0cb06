package dev.tidemark.runners.stack;

import java.util.List;

/**
 * The JobManager of the standalone Flink session cluster ({@code
 * StandaloneSessionClusterEntrypoint}): accepts jobs on the REST port, schedules them on the
 * TaskManager. Healthy when its REST API answers {@code /overview}.
 */
final class FlinkJobManager extends FlinkServer {

  FlinkJobManager(FlinkSettings settings) {
    super(settings, "flink-jobmanager");
  }

  @Override
  String resourceCommand() {
    return "GET_JM_RESOURCE_PARAMS";
  }

  @Override
  List<Integer> ports() {
    return List.of(settings.restPort(), settings.rpcPort(), settings.blobPort());
  }

  @Override
  String mainClass() {
    return "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  }

  @Override
  Health probe() {
    String overview = overview();
    return overview == null
        ? new Health(false, "REST API on port " + settings.restPort() + " does not answer")
        : new Health(true, describe(overview));
  }
}
