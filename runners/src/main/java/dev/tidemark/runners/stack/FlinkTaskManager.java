package dev.tidemark.runners.stack;

import java.util.List;

/**
 * The one TaskManager of the standalone Flink session cluster ({@code TaskManagerRunner}), with two
 * task slots; it binds free loopback ports of its own and registers with the JobManager. Healthy
 * when the JobManager's {@code /overview} counts a TaskManager.
 */
final class FlinkTaskManager extends FlinkServer {

  FlinkTaskManager(FlinkSettings settings) {
    super(settings, "flink-taskmanager");
  }

  @Override
  String resourceCommand() {
    return "GET_TM_RESOURCE_PARAMS";
  }

  @Override
  List<Integer> ports() {
    return List.of();
  }

  @Override
  String mainClass() {
    return "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  }

  @Override
  Health probe() {
    String overview = overview();
    if (overview == null) {
      return new Health(false, "the JobManager does not answer");
    }
    int n = taskManagers(overview);
    return new Health(n > 0, n > 0 ? "registered with the JobManager" : "not registered yet");
  }
}
