/**
 * The Dataflow model's "what, where, when, how" as specs users write once: {@link
 * dev.tidemark.transforms.windowing.WindowSpec} (where in event time), {@link
 * dev.tidemark.transforms.windowing.TriggerSpec} (when in processing time), {@link
 * dev.tidemark.transforms.windowing.Accumulation} (how refinements relate) and {@link
 * dev.tidemark.transforms.windowing.WindowingPolicy}, which combines them with allowed lateness and
 * turns them into exactly Beam's {@code Window} transform and {@code WindowingStrategy}.
 *
 * <p>Triggers are written as text ({@code watermark(early=processing(1m))}) or in the scenario
 * files' YAML ({@code {watermark: {early: {after-processing: 1m}}}}); {@link
 * dev.tidemark.transforms.windowing.TriggerGrammar} is the one vocabulary both are read through.
 * Durations are those of {@link dev.tidemark.core.time.Durations}, converted to Beam's Joda type by
 * {@link dev.tidemark.transforms.windowing.BeamDurations}.
 */
package dev.tidemark.transforms.windowing;
