/**
 * {@code tidemark play}: declarative streaming scenarios. A scenario file ({@link
 * dev.tidemark.pipelines.play.ScenarioParser}) scripts a stream (watermark moves, processing-time
 * moves, events) and a windowing policy; {@link dev.tidemark.pipelines.play.PlayScenario} runs it
 * on a TestStream through {@link dev.tidemark.transforms.panes.ComputePanes} and collects what
 * fired as {@link dev.tidemark.pipelines.play.PlayRecord}s; {@link
 * dev.tidemark.pipelines.play.PlayFormats} prints them as a table or JSON lines and {@link
 * dev.tidemark.pipelines.play.PlayDiagram} draws the Streaming-Systems picture as SVG.
 */
package dev.tidemark.pipelines.play;
