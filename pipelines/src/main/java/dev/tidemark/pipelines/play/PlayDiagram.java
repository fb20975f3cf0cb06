package dev.tidemark.pipelines.play;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The Streaming-Systems picture of a scenario run, as SVG: event time runs left to right,
 * processing time bottom to top. Elements are dots where (event time) and when (arrival) they
 * happened; the watermark is the line of how far event time is known to be complete at each
 * processing time; each pane is a bar over its window drawn at the processing time it fired, with
 * its value: early (amber), on-time (green), late (purple); retractions are dashed red bars with
 * the withdrawn value; dropped elements are red crosses where they arrived.
 */
public final class PlayDiagram {
  private static final int W = 960;
  private static final int H = 640;
  private static final int LEFT = 90;
  private static final int RIGHT = 40;
  private static final int TOP = 84;
  private static final int BOTTOM = 60;

  private static final String EARLY = "#d68910";
  private static final String ON_TIME = "#1e8449";
  private static final String LATE = "#7d3c98";
  private static final String RETRACTION = "#c0392b";
  private static final String WATERMARK = "#2471a3";

  private static final long[] STEPS = {
    1_000,
    5_000,
    10_000,
    15_000,
    30_000,
    60_000,
    120_000,
    300_000,
    600_000,
    900_000,
    1_800_000,
    3_600_000,
    7_200_000,
    21_600_000,
    86_400_000L
  };

  private final Scenario scenario;
  private final LocalDate day;
  private long x0;
  private long x1;
  private long y0;
  private long y1;

  private PlayDiagram(Scenario scenario) {
    this.scenario = scenario;
    this.day = PlayFormats.day(scenario);
  }

  /** The SVG document for {@code records} of a run of {@code scenario}. */
  public static String svg(Scenario scenario, List<PlayRecord> records) {
    return new PlayDiagram(scenario).draw(records);
  }

  private record Dot(long time, long arrived, String label) {}

  private record Mark(long time, long processingTime) {}

  private String draw(List<PlayRecord> records) {
    // Replay the script: where each element lands, and the watermark over processing time.
    List<Dot> dots = new ArrayList<>();
    List<Mark> watermark = new ArrayList<>();
    Set<String> keys = new LinkedHashSet<>();
    long p = scenario.start().toEpochMilli();
    Long wm = null;
    boolean toInfinity = false;
    for (Scenario.Step step : scenario.steps()) {
      if (step instanceof Scenario.AdvanceProcessingTime a) {
        p = a.to().toEpochMilli();
      } else if (step instanceof Scenario.AdvanceWatermark w) {
        if (w.isEnd()) {
          toInfinity = true;
          watermark.add(new Mark(Long.MAX_VALUE, p));
        } else {
          wm = w.to().toEpochMilli();
          watermark.add(new Mark(wm, p));
        }
      } else if (step instanceof Scenario.AddEvents add) {
        for (Scenario.Event e : add.events()) {
          keys.add(e.key());
          dots.add(new Dot(e.time().toEpochMilli(), p, PlayFormats.jsonValue(e.value())));
        }
      }
    }
    long lastP = p;
    // Axes' extents.
    long minX = Long.MAX_VALUE;
    long maxX = Long.MIN_VALUE;
    for (Dot d : dots) {
      minX = Math.min(minX, d.time());
      maxX = Math.max(maxX, d.time());
    }
    for (Mark m : watermark) {
      if (m.time() != Long.MAX_VALUE) {
        minX = Math.min(minX, m.time());
        maxX = Math.max(maxX, m.time());
      }
    }
    long maxP = lastP;
    for (PlayRecord r : records) {
      if (!r.isGlobal()) {
        minX = Math.min(minX, r.windowStart().toEpochMilli());
        maxX = Math.max(maxX, r.windowEnd().toEpochMilli());
      }
      maxP = Math.max(maxP, r.processingTime().toEpochMilli());
    }
    if (minX == Long.MAX_VALUE) {
      minX = scenario.start().toEpochMilli();
      maxX = minX + 60_000;
    }
    long xStep = step(maxX - minX);
    x0 = Math.floorDiv(minX, xStep) * xStep;
    x1 = Math.max(x0 + xStep, -Math.floorDiv(-maxX, xStep) * xStep);
    long startP = scenario.start().toEpochMilli();
    long yStep = step(maxP - startP);
    y0 = Math.floorDiv(startP, yStep) * yStep;
    y1 = Math.max(y0 + yStep, -Math.floorDiv(-(maxP + yStep / 2), yStep) * yStep);

    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d"
                + " %d\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\">%n",
            W,
            H,
            W,
            H));
    s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(s, LEFT, 22, escape(scenario.name()), "start", 15, "bold", "#000");
    text(s, LEFT, 40, escape(PlayFormats.shortSummary(scenario)), "start", 11, "normal", "#444");
    legend(s);
    // Grid and axes.
    for (long t = x0; t <= x1; t += xStep) {
      double x = x(t);
      line(s, x, TOP, x, H - BOTTOM, "#eee", 1, null);
      text(
          s,
          x,
          H - BOTTOM + 16,
          PlayFormats.time(Instant.ofEpochMilli(t), day),
          "middle",
          10,
          "normal",
          "#333");
    }
    for (long t = y0; t <= y1; t += yStep) {
      double y = y(t);
      line(s, LEFT, y, W - RIGHT, y, "#eee", 1, null);
      text(
          s,
          LEFT - 6,
          y + 4,
          PlayFormats.time(Instant.ofEpochMilli(t), day),
          "end",
          10,
          "normal",
          "#333");
    }
    line(s, LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, "#000", 1.2, null);
    line(s, LEFT, TOP, LEFT, H - BOTTOM, "#000", 1.2, null);
    text(s, (LEFT + W - RIGHT) / 2.0, H - 18, "event time →", "middle", 12, "bold", "#000");
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"18\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"bold\""
                + " transform=\"rotate(-90 18 %.1f)\">processing time →</text>%n",
            (TOP + H - BOTTOM) / 2.0,
            (TOP + H - BOTTOM) / 2.0));
    // Window boundaries.
    Set<Long> bounds = new LinkedHashSet<>();
    for (PlayRecord r : records) {
      if (!r.isGlobal()) {
        bounds.add(r.windowStart().toEpochMilli());
        bounds.add(r.windowEnd().toEpochMilli());
      }
    }
    for (long b : bounds) {
      line(s, x(b), TOP, x(b), H - BOTTOM, "#bbb", 1, "4 3");
    }
    // Watermark: constant between steps (vertical), jumps at watermark steps (horizontal).
    if (!watermark.isEmpty()) {
      StringBuilder pts = new StringBuilder();
      double prevX = Double.NaN;
      for (Mark m : watermark) {
        double x = m.time() == Long.MAX_VALUE ? W - RIGHT : x(m.time());
        double y = y(m.processingTime());
        if (!Double.isNaN(prevX)) {
          pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", prevX, y));
        }
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        prevX = x;
      }
      if (!toInfinity) {
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", prevX, (double) TOP));
      }
      s.append(
          String.format(
              Locale.ROOT,
              "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\"/>%n",
              pts.toString().strip(),
              WATERMARK));
    }
    // Panes, retractions and dropped elements, stacked when several share a place.
    Map<String, Integer> stacked = new HashMap<>();
    boolean manyKeys = keys.size() > 1;
    for (PlayRecord r : records) {
      double y = y(r.processingTime().toEpochMilli());
      String prefix = manyKeys ? r.key() + "=" : "";
      if (r.kind() == PlayRecord.Kind.DROPPED) {
        continue; // drawn over the elements, below
      }
      double xa = r.isGlobal() ? LEFT + 4 : x(r.windowStart().toEpochMilli()) + 2;
      double xb = r.isGlobal() ? W - RIGHT - 4 : x(r.windowEnd().toEpochMilli()) - 2;
      String place = Math.round(xa) + "," + Math.round(y);
      int n = stacked.merge(place, 1, Integer::sum) - 1;
      double yy = y - n * 9;
      boolean retraction = r.kind() == PlayRecord.Kind.RETRACTION;
      String color =
          retraction
              ? RETRACTION
              : switch (r.timing()) {
                case "EARLY" -> EARLY;
                case "LATE" -> LATE;
                default -> ON_TIME;
              };
      line(s, xa, yy, xb, yy, color, 4, retraction ? "6 4" : null);
      String label = (retraction ? "−" : "") + prefix + r.value();
      // Pane values above their bar, withdrawn values below theirs.
      text(
          s,
          (xa + xb) / 2,
          retraction ? yy + 14 : yy - 5,
          escape(label),
          "middle",
          11,
          "bold",
          color);
    }
    // Elements.
    for (Dot d : dots) {
      double x = x(d.time());
      double y = y(d.arrived());
      s.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"#000\""
                  + " stroke-width=\"1.5\"/>%n",
              x,
              y));
      text(s, x + 7, y - 5, escape(d.label()), "start", 10, "normal", "#000");
    }
    // Dropped elements: a cross over the element where it arrived.
    for (PlayRecord r : records) {
      if (r.kind() == PlayRecord.Kind.DROPPED) {
        double x = x(r.eventTime().toEpochMilli());
        double y = y(r.processingTime().toEpochMilli());
        cross(s, x, y);
        String what = "dropped " + (manyKeys ? r.key() + "=" : "") + r.value();
        text(s, x + 8, y + 14, escape(what), "start", 10, "normal", RETRACTION);
      }
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private void legend(StringBuilder s) {
    double x = LEFT;
    double y = 60;
    String[][] items = {
      {"early", EARLY, null},
      {"on time", ON_TIME, null},
      {"late", LATE, null},
      {"retraction", RETRACTION, "6 4"},
      {"watermark", WATERMARK, null}
    };
    for (String[] it : items) {
      line(s, x, y, x + 22, y, it[1], it[0].equals("watermark") ? 2.5 : 4, it[2]);
      text(s, x + 26, y + 4, it[0], "start", 11, "normal", "#000");
      x += 34 + it[0].length() * 7;
    }
    s.append(
        String.format(
            Locale.ROOT,
            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"/>%n",
            x + 5,
            y));
    text(s, x + 14, y + 4, "element", "start", 11, "normal", "#000");
    x += 70;
    cross(s, x + 5, y);
    text(s, x + 14, y + 4, "dropped", "start", 11, "normal", "#000");
  }

  private static void cross(StringBuilder s, double x, double y) {
    line(s, x - 5, y - 5, x + 5, y + 5, RETRACTION, 2.5, null);
    line(s, x - 5, y + 5, x + 5, y - 5, RETRACTION, 2.5, null);
  }

  private double x(long t) {
    return LEFT + (double) (t - x0) / (x1 - x0) * (W - LEFT - RIGHT);
  }

  private double y(long t) {
    return H - BOTTOM - (double) (t - y0) / (y1 - y0) * (H - TOP - BOTTOM);
  }

  private static long step(long span) {
    for (long st : STEPS) {
      if (span / st <= 10) {
        return st;
      }
    }
    return Math.max(1, span / 10);
  }

  private static void line(
      StringBuilder s,
      double xa,
      double ya,
      double xb,
      double yb,
      String color,
      double width,
      String dash) {
    s.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\""
                + " stroke-width=\"%.1f\"%s/>%n",
            xa,
            ya,
            xb,
            yb,
            color,
            width,
            dash == null ? "" : " stroke-dasharray=\"" + dash + "\""));
  }

  private static void text(
      StringBuilder s,
      double x,
      double y,
      String text,
      String anchor,
      int size,
      String weight,
      String color) {
    s.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" font-weight=\"%s\""
                + " fill=\"%s\">%s</text>%n",
            x,
            y,
            anchor,
            size,
            weight,
            color,
            text));
  }

  private static String escape(String t) {
    return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
