/**
 * Watermark policies in plain Java: how a source forms its belief of "event time up to which all
 * data is in". {@link dev.tidemark.core.watermark.PerfectWatermark} is built from knowledge (the
 * source knows its log), {@link dev.tidemark.core.watermark.BoundedOutOfOrderness} is a heuristic
 * (newest event time minus a bound, advanced when idle). Beam's watermark estimators and the Kafka
 * timestamp policy of the pipelines adapt these same policies.
 */
package dev.tidemark.core.watermark;
