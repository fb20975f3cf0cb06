/**
 * Panes: what a windowed aggregation emits, with Beam's pane metadata (timing, index, first/last).
 * {@link dev.tidemark.transforms.panes.ComputePanes} aggregates per key and window under a {@link
 * dev.tidemark.transforms.windowing.WindowingPolicy}, capturing late data instead of dropping it
 * and running data-driven triggers on Tidemark's own trigger engine; {@link
 * dev.tidemark.transforms.panes.RetractPanes} turns accumulating panes into a change stream
 * (accumulating and retracting mode, which Beam Java lacks).
 */
package dev.tidemark.transforms.panes;
