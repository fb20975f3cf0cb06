package dev.tidemark.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client over real HTTP for the server tests. */
final class Http {

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final String base;
  private final String token;

  Http(String base) {
    this(base, null);
  }

  Http(String base, String token) {
    this.base = base;
    this.token = token;
  }

  /** A response: status, raw body and the body as JSON (null when not JSON). */
  record Response(int status, String text, JsonNode json) {
    String error() {
      return json == null ? null : json.path("error").asText(null);
    }
  }

  Response get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  Response post(String path, Object body) throws IOException, InterruptedException {
    String text = body instanceof String s ? s : JSON.writeValueAsString(body);
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(text))
            .build());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = JSON.readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    return new Response(r.statusCode(), r.body(), json);
  }
}
