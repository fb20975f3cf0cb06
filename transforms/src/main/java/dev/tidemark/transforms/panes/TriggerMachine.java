package dev.tidemark.transforms.panes;

import dev.tidemark.transforms.windowing.TriggerSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.joda.time.Instant;

/**
 * Tidemark's trigger state machine, for trigger specs that Beam cannot run (those with a
 * data-driven {@link TriggerSpec.OnMatch}). It implements Beam's semantics for the triggers that
 * compose with a data-driven one: {@code default}, {@code watermark(early=, late=)}, {@code count},
 * {@code processing} (not aligned), {@code tag}/match, {@code repeat} and {@code first}. The state
 * of one window is a {@code long[]} of {@link #SLOTS} slots per node; the machine itself is
 * immutable.
 *
 * <p>One documented difference: Beam evaluates triggers once per bundle of elements, this engine
 * after every element, so a pane closes exactly at the element that completes its trigger.
 */
final class TriggerMachine implements Serializable {
  private static final long serialVersionUID = 1L;

  /** State slots per node: a count, flags, a processing-time target (millis, -1 = none). */
  static final int SLOTS = 3;

  private static final int COUNT = 0;
  private static final int FLAGS = 1;
  private static final int TARGET = 2;
  private static final long FINISHED = 1;
  private static final long MATCHED = 2;
  private static final long ON_TIME_DONE = 4;

  private final Node root;
  private final int nodes;

  private TriggerMachine(Node root, int nodes) {
    this.root = root;
    this.nodes = nodes;
  }

  /**
   * Compiles {@code spec}.
   *
   * @throws IllegalArgumentException naming the part that this engine cannot run
   */
  static TriggerMachine compile(TriggerSpec spec) {
    List<Node> all = new ArrayList<>();
    Node root = build(spec, all, true);
    return new TriggerMachine(root, all.size());
  }

  /** A fresh state for a new window. */
  long[] newState() {
    long[] st = new long[nodes * SLOTS];
    for (int i = 0; i < nodes; i++) {
      st[i * SLOTS + TARGET] = -1;
    }
    return st;
  }

  /** Whether the trigger reacts to the watermark passing the end of the window. */
  boolean watchesWatermark() {
    return root.watchesWatermark();
  }

  /**
   * Records an element. Returns the earliest processing-time instant at which a processing-time
   * node now wants to be woken, or null.
   */
  Instant onElement(long[] st, Object value, Instant processingNow) {
    root.onElement(st, value, processingNow);
    return earliestTarget(st);
  }

  /** Whether the trigger fires now. */
  boolean shouldFire(long[] st, Ctx ctx) {
    return !isFinished(st) && root.shouldFire(st, ctx);
  }

  /** Updates the state after a firing; returns whether the trigger is now finished. */
  boolean onFire(long[] st, Ctx ctx) {
    root.onFire(st, ctx);
    return isFinished(st);
  }

  boolean isFinished(long[] st) {
    return (st[root.slot + FLAGS] & FINISHED) != 0;
  }

  /** Merges the state {@code from} into {@code into} (merging windows). */
  void merge(long[] into, long[] from) {
    for (int i = 0; i < nodes; i++) {
      int b = i * SLOTS;
      into[b + COUNT] += from[b + COUNT];
      long fi = into[b + FLAGS];
      long ff = from[b + FLAGS];
      into[b + FLAGS] = ((fi | ff) & (MATCHED | ON_TIME_DONE)) | (fi & ff & FINISHED);
      long ti = into[b + TARGET];
      long tf = from[b + TARGET];
      into[b + TARGET] = ti < 0 ? tf : (tf < 0 ? ti : Math.min(ti, tf));
    }
  }

  /** The earliest processing-time target of any node, or null. */
  Instant earliestTarget(long[] st) {
    long best = -1;
    for (int i = 0; i < nodes; i++) {
      long t = st[i * SLOTS + TARGET];
      if (t >= 0 && (best < 0 || t < best)) {
        best = t;
      }
    }
    return best < 0 ? null : new Instant(best);
  }

  /** What a trigger needs to know about time. */
  record Ctx(Instant watermark, Instant windowMaxTimestamp, Instant processingNow) {
    boolean pastEndOfWindow() {
      return watermark.isAfter(windowMaxTimestamp);
    }
  }

  private static Node build(TriggerSpec spec, List<Node> all, boolean top) {
    int slot = all.size() * SLOTS;
    Node n;
    if (spec instanceof TriggerSpec.Default) {
      n = new DefaultNode(slot);
      all.add(n);
    } else if (spec instanceof TriggerSpec.Watermark w) {
      WatermarkNode wn = new WatermarkNode(slot);
      all.add(wn);
      wn.early = w.early() == null ? null : build(w.early(), all, false);
      wn.late = w.late() == null ? null : build(w.late(), all, false);
      n = wn;
    } else if (spec instanceof TriggerSpec.AfterCount c) {
      n = new CountNode(slot, c.count());
      all.add(n);
    } else if (spec instanceof TriggerSpec.OnMatch m) {
      n = new MatchNode(slot, m.predicate());
      all.add(n);
    } else if (spec instanceof TriggerSpec.AfterProcessing p && p.alignedTo() == null) {
      n = new ProcessingNode(slot, p.delay().getMillis());
      all.add(n);
    } else if (spec instanceof TriggerSpec.Repeat r) {
      RepeatNode rn = new RepeatNode(slot);
      all.add(rn);
      rn.child = build(r.child(), all, false);
      n = rn;
    } else if (spec instanceof TriggerSpec.First f) {
      FirstNode fn = new FirstNode(slot);
      all.add(fn);
      for (TriggerSpec c : f.children()) {
        fn.children.add(build(c, all, false));
      }
      n = fn;
    } else {
      throw new IllegalArgumentException(
          "a data-driven trigger composes with default, watermark, count, processing (not aligned),"
              + " repeat and first; '"
              + spec
              + "' is not supported by Tidemark's trigger engine");
    }
    if (!top && (n instanceof DefaultNode)) {
      throw new IllegalArgumentException(
          "'default' can only be a whole trigger, not inside " + spec);
    }
    return n;
  }

  private abstract static class Node implements Serializable {
    private static final long serialVersionUID = 1L;
    final int slot;

    Node(int slot) {
      this.slot = slot;
    }

    abstract void onElement(long[] st, Object value, Instant processingNow);

    abstract boolean shouldFire(long[] st, Ctx ctx);

    /** Called when the trigger fires; marks once-triggers finished. */
    abstract void onFire(long[] st, Ctx ctx);

    /** Clears this node's and its children's state (for repeat). */
    void reset(long[] st) {
      st[slot + COUNT] = 0;
      st[slot + FLAGS] = 0;
      st[slot + TARGET] = -1;
    }

    boolean watchesWatermark() {
      return false;
    }

    void finish(long[] st) {
      st[slot + FLAGS] |= FINISHED;
    }

    boolean finished(long[] st) {
      return (st[slot + FLAGS] & FINISHED) != 0;
    }
  }

  /** Beam's DefaultTrigger: fires whenever the watermark is past the end of the window. */
  private static final class DefaultNode extends Node {
    private static final long serialVersionUID = 1L;

    DefaultNode(int slot) {
      super(slot);
    }

    @Override
    void onElement(long[] st, Object value, Instant now) {}

    @Override
    boolean shouldFire(long[] st, Ctx ctx) {
      return ctx.pastEndOfWindow();
    }

    @Override
    void onFire(long[] st, Ctx ctx) {}

    @Override
    boolean watchesWatermark() {
      return true;
    }
  }

  /** AfterWatermark.pastEndOfWindow() with optional early and late firings (repeated). */
  private static final class WatermarkNode extends Node {
    private static final long serialVersionUID = 1L;
    Node early;
    Node late;

    WatermarkNode(int slot) {
      super(slot);
    }

    private boolean onTimeDone(long[] st) {
      return (st[slot + FLAGS] & ON_TIME_DONE) != 0;
    }

    @Override
    void onElement(long[] st, Object value, Instant now) {
      Node sub = onTimeDone(st) ? late : early;
      if (sub != null) {
        sub.onElement(st, value, now);
      }
    }

    @Override
    boolean shouldFire(long[] st, Ctx ctx) {
      if (!onTimeDone(st)) {
        return ctx.pastEndOfWindow() || (early != null && early.shouldFire(st, ctx));
      }
      return late != null && late.shouldFire(st, ctx);
    }

    @Override
    void onFire(long[] st, Ctx ctx) {
      if (!onTimeDone(st)) {
        if (ctx.pastEndOfWindow()) {
          st[slot + FLAGS] |= ON_TIME_DONE;
          if (early != null) {
            early.reset(st);
          }
          if (late == null) {
            finish(st);
          }
        } else {
          early.reset(st);
        }
      } else {
        late.reset(st);
      }
    }

    @Override
    void reset(long[] st) {
      super.reset(st);
      if (early != null) {
        early.reset(st);
      }
      if (late != null) {
        late.reset(st);
      }
    }

    @Override
    boolean watchesWatermark() {
      return true;
    }
  }

  /** AfterPane.elementCountAtLeast(n). */
  private static final class CountNode extends Node {
    private static final long serialVersionUID = 1L;
    private final int count;

    CountNode(int slot, int count) {
      super(slot);
      this.count = count;
    }

    @Override
    void onElement(long[] st, Object value, Instant now) {
      st[slot + COUNT]++;
    }

    @Override
    boolean shouldFire(long[] st, Ctx ctx) {
      return st[slot + COUNT] >= count;
    }

    @Override
    void onFire(long[] st, Ctx ctx) {
      finish(st);
    }
  }

  /** Data-driven: an element matching the predicate arrived. */
  private static final class MatchNode extends Node {
    private static final long serialVersionUID = 1L;
    private final TriggerSpec.ElementPredicate predicate;

    MatchNode(int slot, TriggerSpec.ElementPredicate predicate) {
      super(slot);
      this.predicate = predicate;
    }

    @Override
    void onElement(long[] st, Object value, Instant now) {
      if (predicate.test(value)) {
        st[slot + FLAGS] |= MATCHED;
      }
    }

    @Override
    boolean shouldFire(long[] st, Ctx ctx) {
      return (st[slot + FLAGS] & MATCHED) != 0;
    }

    @Override
    void onFire(long[] st, Ctx ctx) {
      finish(st);
    }
  }

  /** AfterProcessingTime.pastFirstElementInPane().plusDelayOf(delay). */
  private static final class ProcessingNode extends Node {
    private static final long serialVersionUID = 1L;
    private final long delayMillis;

    ProcessingNode(int slot, long delayMillis) {
      super(slot);
      this.delayMillis = delayMillis;
    }

    @Override
    void onElement(long[] st, Object value, Instant now) {
      if (st[slot + TARGET] < 0 && !finished(st)) {
        st[slot + TARGET] = now.getMillis() + delayMillis;
      }
    }

    @Override
    boolean shouldFire(long[] st, Ctx ctx) {
      long target = st[slot + TARGET];
      return target >= 0 && ctx.processingNow().getMillis() >= target;
    }

    @Override
    void onFire(long[] st, Ctx ctx) {
      st[slot + TARGET] = -1;
      finish(st);
    }
  }

  /** Repeatedly.forever(child). */
  private static final class RepeatNode extends Node {
    private static final long serialVersionUID = 1L;
    Node child;

    RepeatNode(int slot) {
      super(slot);
    }

    @Override
    void onElement(long[] st, Object value, Instant now) {
      child.onElement(st, value, now);
    }

    @Override
    boolean shouldFire(long[] st, Ctx ctx) {
      return child.shouldFire(st, ctx);
    }

    @Override
    void onFire(long[] st, Ctx ctx) {
      child.onFire(st, ctx);
      child.reset(st);
    }

    @Override
    void reset(long[] st) {
      super.reset(st);
      child.reset(st);
    }

    @Override
    boolean watchesWatermark() {
      return child.watchesWatermark();
    }
  }

  /** AfterFirst.of(children): fires when any child fires, then finishes. */
  private static final class FirstNode extends Node {
    private static final long serialVersionUID = 1L;
    final List<Node> children = new ArrayList<>();

    FirstNode(int slot) {
      super(slot);
    }

    @Override
    void onElement(long[] st, Object value, Instant now) {
      for (Node c : children) {
        c.onElement(st, value, now);
      }
    }

    @Override
    boolean shouldFire(long[] st, Ctx ctx) {
      for (Node c : children) {
        if (c.shouldFire(st, ctx)) {
          return true;
        }
      }
      return false;
    }

    @Override
    void onFire(long[] st, Ctx ctx) {
      for (Node c : children) {
        c.reset(st);
      }
      finish(st);
    }

    @Override
    void reset(long[] st) {
      super.reset(st);
      for (Node c : children) {
        c.reset(st);
      }
    }

    @Override
    boolean watchesWatermark() {
      return children.stream().anyMatch(Node::watchesWatermark);
    }
  }
}
