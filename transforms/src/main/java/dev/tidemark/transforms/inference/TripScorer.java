package dev.tidemark.transforms.inference;

import dev.tidemark.core.trip.TaxiTrip;
import java.util.List;

/**
 * Scores batches of trips: the one seam between {@link ScoreTrips} (buffering, windows, outputs)
 * and what answers — an in-process model ({@link InProcessScorer}), a model server over the Open
 * Inference Protocol, an inference graph of several of them, or a no-op baseline for benchmarks.
 *
 * <p>A scorer is opened once per DoFn instance (in {@code @Setup}, from its serializable {@link
 * TripScorer.Factory}) and is used by one thread at a time. {@link #score} answers every trip of a
 * batch: problems with one trip or with the whole call come back as {@link ScoreOutcome.Failed}
 * outcomes, never as exceptions, so that every trip becomes exactly one prediction or one dead
 * letter.
 */
public interface TripScorer extends AutoCloseable {

  /**
   * Scores one batch. Returns exactly {@code trips.size()} outcomes, in the order of {@code trips}.
   */
  List<ScoreOutcome> score(List<TaxiTrip> trips);

  /** Frees what the scorer holds (native boosters, HTTP clients). */
  @Override
  void close();

  /** How to open a scorer on a worker: serialized with the pipeline, opened in {@code @Setup}. */
  @FunctionalInterface
  interface Factory extends java.io.Serializable {
    /**
     * Opens a scorer.
     *
     * @throws java.io.IOException when what the scorer needs (a model store, a server) is not there
     */
    TripScorer open() throws java.io.IOException;
  }
}
