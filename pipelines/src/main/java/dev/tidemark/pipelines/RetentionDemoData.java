package dev.tidemark.pipelines;

import dev.tidemark.transforms.retention.CustomerEvent;
import dev.tidemark.transforms.retention.CustomerEvent.Type;
import dev.tidemark.transforms.retention.CustomerEventJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A small, generated session log for the demo of {@link Retention}: eight scripted customers whose
 * stories show each part of the rule, forty customers with seeded random sessions, and two
 * malformed lines, in shuffled (arrival) order. The same log on every call.
 *
 * <pre>{@code
 * Path log = RetentionDemoData.write(workDir.resolve("sessions.jsonl"));
 * }</pre>
 */
public final class RetentionDemoData {

  /** Day of the demo log: all events fall on 2026-01-01 between 12:00 and 15:00 UTC. */
  public static final Instant START = Instant.parse("2026-01-01T12:00:00Z");

  /** How many lines of the log are malformed (and end up as dead letters). */
  public static final int MALFORMED_LINES = 2;

  private static final long SEED = 20260101L;

  private RetentionDemoData() {}

  /**
   * The scripted stories, by customer: what each one shows, for the demo's narration.
   *
   * <ul>
   *   <li>{@code alice}: logs in, adds, drops a 37.50 cart: one action.
   *   <li>{@code bob}: drops, then checks out 10 minutes later: no action.
   *   <li>{@code carol}: drops without ever logging in: no action.
   *   <li>{@code dave}: logs out before dropping: no action.
   *   <li>{@code erin}: checks out exactly 30 minutes after dropping: no action (inclusive).
   *   <li>{@code frank}: checks out 31 minutes after dropping: one action.
   *   <li>{@code grace}: drops a cart with no value: one action with a null value.
   *   <li>{@code heidi}: drops twice in one session: two actions.
   * </ul>
   */
  public static List<CustomerEvent> scriptedEvents() {
    List<CustomerEvent> e = new ArrayList<>();
    e.add(ev("alice", Type.LOGIN, 0, null));
    e.add(ev("alice", Type.ADD_TO_CART, 3, 37.5));
    e.add(ev("alice", Type.CART_DROPPED, 7, 37.5));
    e.add(ev("bob", Type.LOGIN, 1, null));
    e.add(ev("bob", Type.CART_DROPPED, 5, 12.0));
    e.add(ev("bob", Type.CHECKOUT, 15, 12.0));
    e.add(ev("carol", Type.ADD_TO_CART, 2, 8.25));
    e.add(ev("carol", Type.CART_DROPPED, 4, 8.25));
    e.add(ev("dave", Type.LOGIN, 10, null));
    e.add(ev("dave", Type.LOGOUT, 20, null));
    e.add(ev("dave", Type.CART_DROPPED, 21, 99.0));
    e.add(ev("erin", Type.LOGIN, 30, null));
    e.add(ev("erin", Type.CART_DROPPED, 40, 20.0));
    e.add(ev("erin", Type.CHECKOUT, 70, 20.0));
    e.add(ev("frank", Type.LOGIN, 30, null));
    e.add(ev("frank", Type.CART_DROPPED, 40, 15.0));
    e.add(ev("frank", Type.CHECKOUT, 71, 15.0));
    e.add(ev("grace", Type.LOGIN, 45, null));
    e.add(ev("grace", Type.CART_DROPPED, 50, null));
    e.add(ev("heidi", Type.LOGIN, 60, null));
    e.add(ev("heidi", Type.CART_DROPPED, 65, 5.0));
    e.add(ev("heidi", Type.ADD_TO_CART, 70, 7.5));
    e.add(ev("heidi", Type.CART_DROPPED, 75, 7.5));
    e.add(ev("heidi", Type.LOGOUT, 120, null));
    return e;
  }

  /** The whole log as JSON lines, in arrival order. */
  public static List<String> sessionLog() {
    Random random = new Random(SEED);
    List<String> lines = new ArrayList<>();
    for (CustomerEvent e : scriptedEvents()) {
      lines.add(CustomerEventJson.format(e));
    }
    for (int c = 1; c <= 40; c++) {
      for (CustomerEvent e : randomSession(random, String.format("c%02d", c))) {
        lines.add(CustomerEventJson.format(e));
      }
    }
    lines.add(
        "{\"customer\": \"zed\", \"type\": \"teleport\", \"time\": \"2026-01-01T12:30:00Z\"}");
    lines.add("{\"customer\": \"zed\", \"type\": \"login\", \"time\": \"yesterday\"");
    Collections.shuffle(lines, random);
    return lines;
  }

  /** Writes {@link #sessionLog()} to {@code file} (creating its directory) and returns it. */
  public static Path write(Path file) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    return Files.write(file, sessionLog(), StandardCharsets.UTF_8);
  }

  /** A plausible session: login, some adds, maybe a drop, maybe a checkout, maybe a logout. */
  private static List<CustomerEvent> randomSession(Random random, String customer) {
    List<CustomerEvent> e = new ArrayList<>();
    int minute = random.nextInt(90);
    if (random.nextInt(5) > 0) {
      e.add(ev(customer, Type.LOGIN, minute, null));
    }
    double cart = 0;
    int adds = random.nextInt(4);
    for (int i = 0; i < adds; i++) {
      minute += 1 + random.nextInt(5);
      double item = 5 + random.nextInt(60) / 2.0;
      cart += item;
      e.add(ev(customer, Type.ADD_TO_CART, minute, item));
    }
    if (random.nextInt(3) > 0) {
      minute += 1 + random.nextInt(10);
      e.add(ev(customer, Type.CART_DROPPED, minute, cart > 0 ? cart : null));
    }
    if (random.nextBoolean()) {
      minute += 1 + random.nextInt(45);
      e.add(ev(customer, Type.CHECKOUT, minute, cart > 0 ? cart : null));
    }
    if (random.nextBoolean()) {
      minute += 1 + random.nextInt(20);
      e.add(ev(customer, Type.LOGOUT, minute, null));
    }
    return e;
  }

  private static CustomerEvent ev(String customer, Type type, int minute, Double value) {
    return new CustomerEvent(customer, type, START.plus(Duration.standardMinutes(minute)), value);
  }
}
