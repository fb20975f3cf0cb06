package dev.tidemark.transforms.inference.remote;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 that answers infer calls from a script: a status and body per
 * call, or a hang (no answer until the server closes). The last reply repeats once the script runs
 * out. It records every request body it received.
 */
final class ScriptedServer implements AutoCloseable {

  /** One scripted reply. */
  sealed interface Reply {}

  /** Answer with this status and JSON body. */
  record Status(int code, String body) implements Reply {}

  /** Do not answer (until the server closes). */
  record Hang() implements Reply {}

  static Reply status(int code, String body) {
    return new Status(code, body);
  }

  static Reply hang() {
    return new Hang();
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Deque<Reply> script;
  private final List<String> requests = new ArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private Reply last;

  private ScriptedServer(List<Reply> replies) throws IOException {
    this.script = new ArrayDeque<>(replies);
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(threads);
    server.createContext("/", this::handle);
    server.start();
  }

  static ScriptedServer start(Reply... replies) throws IOException {
    return new ScriptedServer(List.of(replies));
  }

  /** The V2 infer URL of model taxi-tips on this server. */
  String inferUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2/models/taxi-tips/infer";
  }

  /** How many requests arrived so far. */
  synchronized int calls() {
    return requests.size();
  }

  /** The bodies of the requests, in arrival order. */
  synchronized List<String> requests() {
    return List.copyOf(requests);
  }

  private void handle(HttpExchange exchange) throws IOException {
    Reply reply;
    synchronized (this) {
      requests.add(new String(exchange.getRequestBody().readAllBytes(), UTF_8));
      if (!script.isEmpty()) {
        last = script.poll();
      }
      reply = last;
    }
    if (reply instanceof Hang) {
      try {
        closing.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    Status s = (Status) reply;
    byte[] body = s.body().getBytes(UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(s.code(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
