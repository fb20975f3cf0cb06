/**
 * Inference graphs in the shape of KServe's {@code InferenceGraph} ({@code Sequence}, {@code
 * Switch}, {@code Ensemble}, {@code Splitter}) run in process as one {@link
 * dev.tidemark.transforms.inference.TripScorer}: the spec ({@link
 * dev.tidemark.transforms.inference.graph.InferenceGraphSpec}), its step conditions ({@link
 * dev.tidemark.transforms.inference.graph.Condition}, a GJSON subset), the runtime ({@link
 * dev.tidemark.transforms.inference.graph.InferenceGraph}) and the windowed champion/challenger
 * comparison of its steps ({@link
 * dev.tidemark.transforms.inference.graph.CompareChampionChallenger}).
 */
package dev.tidemark.transforms.inference.graph;
