package dev.tidemark.transforms.panes;

import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IncompatibleWindowException;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.MergeOverlappingIntervalWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * A window function that keeps the windows elements already have (assigned upstream by {@link
 * CaptureLateData}, which drops the expired ones) and otherwise behaves like the window function it
 * wraps: same window type and coder, and merging like it when it merges (sessions).
 */
final class PreassignedWindows<T, W extends BoundedWindow> extends WindowFn<T, W> {
  private static final long serialVersionUID = 1L;

  private final WindowFn<T, W> original;

  private PreassignedWindows(WindowFn<T, W> original) {
    if (!original.isNonMerging() && !isIntervalBased(original)) {
      throw new IllegalArgumentException(
          "merging window functions other than interval-based ones (sessions) are not supported: "
              + original);
    }
    this.original = original;
  }

  @SuppressWarnings("unchecked")
  static <T, W extends BoundedWindow> PreassignedWindows<T, W> of(
      WindowFn<T, ? extends BoundedWindow> original) {
    return new PreassignedWindows<>((WindowFn<T, W>) original);
  }

  private static boolean isIntervalBased(WindowFn<?, ?> fn) {
    return fn.windowCoder().equals(IntervalWindow.getCoder());
  }

  /** The window function whose windows these are. */
  WindowFn<T, W> original() {
    return original;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Collection<W> assignWindows(AssignContext c) {
    return List.of((W) c.window());
  }

  @Override
  @SuppressWarnings("unchecked")
  public void mergeWindows(MergeContext c) throws Exception {
    if (!original.isNonMerging()) {
      MergeOverlappingIntervalWindows.mergeWindows(
          (WindowFn<?, IntervalWindow>.MergeContext) (WindowFn<?, ?>.MergeContext) c);
    }
  }

  @Override
  public boolean isNonMerging() {
    return original.isNonMerging();
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof PreassignedWindows<?, ?> p && original.isCompatible(p.original);
  }

  @Override
  public void verifyCompatibility(WindowFn<?, ?> other) throws IncompatibleWindowException {
    if (!isCompatible(other)) {
      throw new IncompatibleWindowException(
          other, "windows preassigned for " + original + " differ");
    }
  }

  @Override
  public Coder<W> windowCoder() {
    return original.windowCoder();
  }

  /**
   * The wrapped function's window type, so that a DoFn downstream can take its concrete window
   * ({@code IntervalWindow}) as a parameter: the default reads the type variable of this class,
   * which is not resolvable here.
   */
  @Override
  public TypeDescriptor<W> getWindowTypeDescriptor() {
    return original.getWindowTypeDescriptor();
  }

  @Override
  public WindowMappingFn<W> getDefaultWindowMappingFn() {
    return original.getDefaultWindowMappingFn();
  }

  @Override
  public boolean assignsToOneWindow() {
    return true;
  }
}
