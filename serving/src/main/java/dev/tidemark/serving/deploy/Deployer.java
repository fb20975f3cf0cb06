package dev.tidemark.serving.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Deploys a model version to a running Tidemark (or any Open Inference Protocol) server: {@code
 * POST /v2/repository/models/{name}/load} with {@code {"parameters": {"version": ...}}}, then polls
 * {@code GET /v2/models/{name}/versions/{v}/ready} until 200. The same code runs for {@code
 * bin/tidemark deploy} and as the last step of {@code bin/tidemark train --deploy-to}: the deck's
 * "deploy the inference service from a pipeline component".
 */
public final class Deployer {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String server;
  private final String token;

  /**
   * A deployer for the server at {@code server} ({@code http://host:port}).
   *
   * @param token bearer token, or null
   */
  public Deployer(String server, String token) {
    String s = server.strip();
    this.server = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    this.token = token;
  }

  /** Why a deployment failed, in one sentence. */
  public static final class DeployException extends Exception {
    private static final long serialVersionUID = 1L;

    public DeployException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Loads {@code model} and waits until it is ready.
   *
   * @return how long it took
   */
  public Duration deploy(ModelUri model, Duration timeout) throws DeployException {
    long start = System.nanoTime();
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("parameters", Map.of("version", model.version())));
    } catch (IOException e) {
      throw new DeployException("cannot write the load request", e);
    }
    HttpResponse<String> load =
        send(
            request("/v2/repository/models/" + model.model() + "/load", timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    if (load.statusCode() != 200) {
      throw new DeployException(
          "the server at "
              + server
              + " refused to load "
              + model
              + " (HTTP "
              + load.statusCode()
              + "): "
              + error(load.body()),
          null);
    }
    long deadline = start + timeout.toNanos();
    String ready = "/v2/models/" + model.model() + "/versions/" + model.version() + "/ready";
    while (true) {
      HttpResponse<String> r = send(request(ready, timeout).GET().build());
      if (r.statusCode() == 200) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      if (System.nanoTime() > deadline) {
        throw new DeployException(
            model
                + " was loaded but is not ready after "
                + timeout.toSeconds()
                + " s: "
                + error(r.body()),
            null);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException("interrupted while waiting for " + model, e);
      }
    }
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server + path)).timeout(timeout);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private HttpResponse<String> send(HttpRequest request) throws DeployException {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new DeployException(
          "the model server at " + server + " is not reachable (" + e + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException("interrupted while talking to " + server, e);
    }
  }

  private static String error(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      return n.path("error").asText(body);
    } catch (IOException e) {
      return body;
    }
  }
}
