package dev.tidemark.serving;

import dev.tidemark.core.model.Evaluator;
import dev.tidemark.serving.model.BatchPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the model server alone, on the serving module's own classpath (no Beam). {@code
 * bin/tidemark serve} offers the same with more help; this is the entry point of a server image.
 *
 * <pre>
 * java -cp ... dev.tidemark.serving.Main --repository s3://models [--host 0.0.0.0] [--port 8080]
 *     [--poll-seconds 10] [--max-batch 64] [--max-delay-ms 2] [--token-env NAME]
 *     [--max-body-bytes 8388608] [--timeout-ms 10000] [--event-loops 2]
 *     [--evaluator compiled|xgboost4j]
 * </pre>
 *
 * {@code --evaluator} chooses what computes the probabilities: {@code compiled} (the default: the
 * trees compiled to Java arrays at load, scored in the request's own thread) or {@code xgboost4j}
 * (XGBoost's native predictor, behind the dynamic batcher). Explanations come from XGBoost either
 * way.
 *
 * <p>S3 settings come from {@code AWS_ENDPOINT_URL} / {@code S3_ENDPOINT}, {@code AWS_REGION},
 * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}. The bearer token, when wanted, is
 * read from the environment variable named by {@code --token-env} (never from the command line).
 * SIGTERM shuts down gracefully.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    ServerConfig config = parse(args);
    ModelServer server = ModelServer.start(config);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    server.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                },
                "graceful-shutdown"));
    System.out.println(server.url());
    System.out.flush();
    server.awaitShutdown();
  }

  /** Parses the command line (see the class comment). */
  static ServerConfig parse(String[] args) {
    String repository = ServerConfig.DEFAULT_REPOSITORY;
    List<String[]> rest = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(a + " needs a value");
      }
      String v = args[++i];
      if (a.equals("--repository")) {
        repository = v;
      } else {
        rest.add(new String[] {a, v});
      }
    }
    ServerConfig c = ServerConfig.defaults(repository);
    int maxBatch = c.batch().maxBatchSize();
    Duration maxDelay = c.batch().maxDelay();
    for (String[] kv : rest) {
      switch (kv[0]) {
        case "--host" -> c = c.withHost(kv[1]);
        case "--port" -> c = c.withPort(Integer.parseInt(kv[1]));
        case "--poll-seconds" -> c = c.withPollInterval(Duration.ofSeconds(Long.parseLong(kv[1])));
        case "--max-batch" -> maxBatch = Integer.parseInt(kv[1]);
        case "--max-delay-ms" -> maxDelay = Duration.ofMillis(Long.parseLong(kv[1]));
        case "--token-env" -> c = c.withBearerToken(System.getenv(kv[1]));
        case "--max-body-bytes" -> c = c.withMaxBodyBytes(Long.parseLong(kv[1]));
        case "--timeout-ms" -> c = c.withRequestTimeout(Duration.ofMillis(Long.parseLong(kv[1])));
        case "--event-loops" -> c = c.withEventLoops(Integer.parseInt(kv[1]));
        case "--evaluator" -> c = c.withEvaluator(Evaluator.parse(kv[1]));
        default -> throw new IllegalArgumentException("unknown option " + kv[0]);
      }
    }
    return c.withBatch(new BatchPolicy(maxBatch, maxDelay));
  }
}
